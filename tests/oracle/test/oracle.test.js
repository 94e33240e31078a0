'use strict';
// Tests of the oracle harness itself (node --test tests/oracle/test/).
// Uses tiny .tflite files written by tflite_fixture.js, so it needs no shared data;
// selftest.sh is the check against ../shared/golden.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const npy = require('../npy');
const { buildModel } = require('../tflite_fixture');

const HARNESS = path.join(__dirname, '..', 'run_tflite_wasm.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tflc-oracle-test-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args) {
  const r = spawnSync(process.execPath, [HARNESS, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function model(name, spec) {
  const f = path.join(tmp, `${name}.tflite`);
  fs.writeFileSync(f, buildModel(spec));
  return f;
}

function arr(name, dtype, shape, values) {
  const T = npy.DTYPES[dtype].T;
  const data = T === BigInt64Array || T === BigUint64Array ? T.from(values.map(BigInt)) : T.from(values);
  const f = path.join(tmp, `${name}.npy`);
  npy.write(f, { dtype, shape, data });
  return f;
}

const SUB = {
  tensors: [
    { name: 'a', type: 'float32', shape: [1, 4] },
    { name: 'b', type: 'float32', shape: [1, 4] },
    { name: 'y', type: 'float32', shape: [1, 4] },
  ],
  inputs: [0, 1],
  outputs: [2],
  ops: [{ op: 'SUB', inputs: [0, 1], outputs: [2] }],
};

test('npy: round trip of every dtype, numpy-identical header', () => {
  const cases = {
    float32: [1.5, -2], float16: [0x3c00, 0xc000], int8: [-128, 127], uint8: [0, 255],
    int16: [-32768, 32767], uint16: [0, 65535], int32: [-5, 7], uint32: [0, 4294967295],
    int64: [-(2n ** 63n), 2n ** 63n - 1n], bool: [1, 0], float64: [0.1, -3],
  };
  for (const [dtype, vals] of Object.entries(cases)) {
    const T = npy.DTYPES[dtype].T;
    const data = T.from(vals);
    const buf = npy.encode({ dtype, shape: [2], data });
    assert.equal(buf.readUInt16LE(8) + 10, 128, 'header padded to 64 bytes like numpy');
    const back = npy.decode(buf);
    assert.equal(back.dtype, dtype);
    assert.deepEqual(back.shape, [2]);
    assert.deepEqual(Array.from(back.data), Array.from(data));
  }
  const hdr = npy.encode({ dtype: 'int8', shape: [1, 10], data: new Int8Array(10) })
    .toString('latin1', 10, 128);
  assert.equal(hdr, `{'descr': '|i1', 'fortran_order': False, 'shape': (1, 10), }${' '.repeat(57)}\n`);
  assert.match(npy.encode({ dtype: 'float32', shape: [], data: new Float32Array(1) }).toString('latin1'),
    /'shape': \(\), \}/);
});

test('npy: reads format 2.0 and rejects what it cannot read', () => {
  const v1 = npy.encode({ dtype: 'int32', shape: [3], data: Int32Array.from([1, 2, 3]) });
  const hlen = v1.readUInt16LE(8);
  const v2 = Buffer.alloc(v1.length + 2);
  v1.copy(v2, 0, 0, 8);
  v2[6] = 2;
  v2.writeUInt32LE(hlen, 8);
  v1.copy(v2, 12, 10);
  assert.deepEqual(Array.from(npy.decode(v2).data), [1, 2, 3]);
  const big = Buffer.from(v1.toString('latin1').replace('<i4', '>i4'), 'latin1');
  assert.throws(() => npy.decode(big), /big-endian/);
  const fort = Buffer.from(v1.toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1');
  assert.throws(() => npy.decode(fort), /fortran_order/);
  assert.throws(() => npy.decode(Buffer.from('not an npy file')), /bad magic/);
});

test('--info lists inputs and outputs', () => {
  const m = model('sub', SUB);
  const r = run([m, '--info']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.inputs, [
    { name: 'a', dtype: 'float32', shape: [1, 4] },
    { name: 'b', dtype: 'float32', shape: [1, 4] },
  ]);
  assert.deepEqual(j.outputs, [{ name: 'y', dtype: 'float32', shape: [1, 4] }]);
  assert.equal(j.variant, 'plain');
});

test('inputs bind in order; N samples stack on the leading axis', () => {
  const m = model('sub', SUB);
  const a = arr('a1', 'float32', [1, 4], [1, 2, 3, 4]);
  const b = arr('b1', 'float32', [1, 4], [0.5, 0.5, 0.5, 0.5]);
  const out = path.join(tmp, 'o_sub1');
  let r = run([m, '--in', a, '--in', b, '--out-dir', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^WASM OK sub\.tflite variant=plain threads=1 inputs=2 out0 float32\[1, 4\] \(\d+\.\d\ds\)\n$/);
  let y = npy.read(path.join(out, 'out0.npy'));
  assert.deepEqual(y.shape, [1, 4]);
  assert.deepEqual(Array.from(y.data), [0.5, 1.5, 2.5, 3.5]);

  // 3 samples, given as [3, 4] and [3, 1, 4]: output [1, 4] becomes [3, 4].
  const a3 = arr('a3', 'float32', [3, 4], [1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, 0]);
  const b3 = arr('b3', 'float32', [3, 1, 4], [1, 1, 1, 1, 2, 2, 2, 2, -1, -2, -3, -4]);
  const out3 = path.join(tmp, 'o_sub3');
  r = run([m, '--in', a3, '--in', b3, '--out-dir', out3]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, / samples=3 out0 float32\[3, 4\] /);
  y = npy.read(path.join(out3, 'out0.npy'));
  assert.deepEqual(y.shape, [3, 4]);
  assert.deepEqual(Array.from(y.data), [0, 1, 2, 3, 8, 18, 28, 38, 1, 2, 3, 4]);
});

test('an output whose first dim is not 1 keeps its full shape under N', () => {
  const m = model('id3', { tensors: [{ name: 'x', type: 'int32', shape: [3] }], inputs: [0], outputs: [0] });
  const x = arr('x2', 'int32', [2, 3], [1, 2, 3, 4, 5, 6]);
  const out = path.join(tmp, 'o_id3');
  const r = run([m, '--in', x, '--out-dir', out]);
  assert.equal(r.code, 0, r.err);
  const y = npy.read(path.join(out, 'out0.npy'));
  assert.deepEqual(y.shape, [2, 3]);
  assert.deepEqual(Array.from(y.data), [1, 2, 3, 4, 5, 6]);
});

test('every I/O dtype passes through bit-exactly (incl. int64/float16 the runner hides)', () => {
  const cases = {
    float32: [1.25, -0, 3e38], float64: [0.1, -1, 2], int8: [-128, 0, 127], uint8: [0, 128, 255],
    int16: [-32768, 1, 32767], uint16: [0, 1, 65535], int32: [-2147483648, 0, 2147483647],
    uint32: [0, 1, 4294967295], int64: [-(2n ** 63n), 9007199254740993n, 2n ** 63n - 1n],
    uint64: [0n, 1n, 2n ** 64n - 1n], bool: [1, 0, 1], float16: [0x3c00, 0xfc00, 0x7e00],
  };
  for (const [dtype, vals] of Object.entries(cases)) {
    const m = model(`id_${dtype}`, { tensors: [{ name: `t_${dtype}`, type: dtype, shape: [1, 3] }], inputs: [0], outputs: [0] });
    const x = arr(`x_${dtype}`, dtype, [1, 3], vals);
    const out = path.join(tmp, `o_${dtype}`);
    const r = run([m, '--in', x, '--out-dir', out]);
    assert.equal(r.code, 0, `${dtype}: ${r.err}`);
    assert.ok(r.out.includes(`out0 ${dtype}[1, 3]`), r.out);
    assert.ok(fs.readFileSync(x).equals(fs.readFileSync(path.join(out, 'out0.npy'))), dtype);
  }
});

test('CAST float32 -> int64 output is read from the heap correctly', () => {
  const m = model('cast64', {
    tensors: [{ name: 'f', type: 'float32', shape: [1, 4] }, { name: 'i', type: 'int64', shape: [1, 4] }],
    inputs: [0], outputs: [1], ops: [{ op: 'CAST', inputs: [0], outputs: [1] }],
  });
  const x = arr('xc', 'float32', [2, 4], [1.5, -2.7, 3e9, 0, 7, 8, 9, -10]);
  const out = path.join(tmp, 'o_cast64');
  const r = run([m, '--in', x, '--out-dir', out]);
  assert.equal(r.code, 0, r.err);
  const y = npy.read(path.join(out, 'out0.npy'));
  assert.equal(y.dtype, 'int64');
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(Array.from(y.data), [1n, -2n, 3000000000n, 0n, 7n, 8n, 9n, -10n]);
});

test('clear failures: dtype, input count, sample count, bad model', () => {
  const m = model('sub', SUB);
  const a = arr('a1', 'float32', [1, 4], [1, 2, 3, 4]);
  const i8 = arr('i8', 'int8', [1, 4], [1, 2, 3, 4]);
  const a2 = arr('a2', 'float32', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  const odd = arr('odd', 'float32', [1, 5], [1, 2, 3, 4, 5]);
  const out = path.join(tmp, 'o_fail');
  let r = run([m, '--in', a, '--in', i8, '--out-dir', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /input 1 'b': model wants float32\[1, 4\], .* holds int8\[1, 4\]/);
  r = run([m, '--in', a, '--out-dir', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /model has 2 input\(s\) but 1 --in given/);
  r = run([m, '--in', a2, '--in', a, '--out-dir', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /holds 1 samples but input 0 holds 2/);
  r = run([m, '--in', odd, '--in', odd, '--out-dir', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not a multiple/);
  const junk = path.join(tmp, 'junk.tflite');
  fs.writeFileSync(junk, 'not a model');
  r = run([junk, '--info']);
  assert.equal(r.code, 1);
  assert.match(r.err, /WASM FAIL junk\.tflite: failed to create TFLiteWebModelRunner/);
  r = run([m]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no --in given/);
  assert.equal(fs.existsSync(out), false, 'nothing written on failure');
});
