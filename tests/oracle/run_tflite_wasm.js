#!/usr/bin/env node
'use strict';
// tflc oracle: run a .tflite model in Google's TFLite runtime, using the
// WebAssembly build shipped in the npm package @tensorflow/tfjs-tflite
// (wasm/tflite_web_api_cc*.js + .wasm), from plain Node.js.
//
//   node run_tflite_wasm.js MODEL.tflite --in a.npy [--in b.npy ...] --out-dir DIR
//        [--threads 1] [--variant plain|simd] [--keep-state] [--profile] [--verbose]
//   node run_tflite_wasm.js MODEL.tflite --info [--variant plain|simd]
//
// See README.md for the details (batching of N samples, dtypes, exactness).

const fs = require('fs');
const path = require('path');
const npy = require('./npy');

const VARIANTS = {
  // file stem inside node_modules/@tensorflow/tfjs-tflite/wasm/
  plain: 'tflite_web_api_cc',
  simd: 'tflite_web_api_cc_simd',
};
const DEFAULT_VARIANT = 'plain';

const USAGE = `usage:
  node run_tflite_wasm.js MODEL.tflite --in a.npy [--in b.npy ...] --out-dir DIR
       [--threads 1] [--variant plain|simd] [--keep-state] [--profile] [--verbose]
  node run_tflite_wasm.js MODEL.tflite --info [--variant plain|simd]

  --in FILE       .npy bound to the model's next input (in input order); its dtype
                  must be the input's. It may hold N samples (N x the input's
                  element count): the model then runs N times and every output
                  is stacked along a new leading axis N (replacing a leading 1)
  --out-dir DIR   writes DIR/out0.npy, DIR/out1.npy, ... (created if missing)
  --threads N     numThreads given to the TFLite runner (default 1; the
                  non-threaded wasm builds used here always run on one thread)
  --variant V     wasm build: plain (default; reproduces ../shared/golden) or simd
  --keep-state    run all N samples on one interpreter, in order, so variable
                  tensors (LSTM/SVDF state) carry over from sample to sample;
                  default: a new interpreter per sample (= N separate runs)
  --info          print the model's inputs/outputs as JSON and exit
  --batch FILE    run many jobs in one process: one JSON array of arguments per
                  line; prints OK/FAIL per job
  --profile       after the first sample, print to stderr which nodes ran
                  (TfLiteXNNPackDelegate = a partition run by XNNPACK; other
                  names = TFLite's builtin kernels) with their times
  --verbose       pass the runtime's own log lines (e.g. XNNPACK INFO) to stderr`;

class UsageError extends Error {}

function parseArgs(argv) {
  const opt = { model: null, inputs: [], outDir: null, threads: 1, variant: DEFAULT_VARIANT,
    info: false, keepState: false, profile: false, verbose: false, help: false, batch: null };
  const need = (i, flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--in': opt.inputs.push(need(i, a)); i++; break;
      case '--out-dir': opt.outDir = need(i, a); i++; break;
      case '--threads': {
        const v = need(i, a); i++;
        if (!/^-?[0-9]+$/.test(v)) throw new UsageError(`--threads wants an integer, got '${v}'`);
        opt.threads = Number(v);
        break;
      }
      case '--variant': opt.variant = need(i, a); i++; break;
      case '--batch': opt.batch = need(i, a); i++; break;
      case '--info': opt.info = true; break;
      case '--keep-state': opt.keepState = true; break;
      case '--profile': opt.profile = true; break;
      case '--verbose': opt.verbose = true; break;
      case '-h': case '--help': opt.help = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        if (opt.model !== null) throw new UsageError(`unexpected argument '${a}'`);
        opt.model = a;
    }
  }
  if (opt.help || opt.batch !== null) return opt;
  if (opt.model === null) throw new UsageError('no model given');
  if (!Object.prototype.hasOwnProperty.call(VARIANTS, opt.variant)) {
    throw new UsageError(`unknown --variant '${opt.variant}' (plain or simd)`);
  }
  if (!opt.info) {
    if (opt.inputs.length === 0) throw new UsageError('no --in given');
    if (opt.outDir === null) throw new UsageError('no --out-dir given');
  }
  return opt;
}

function wasmDir() {
  let pkg;
  try {
    pkg = require.resolve('@tensorflow/tfjs-tflite/package.json', { paths: [__dirname] });
  } catch (e) {
    throw new Error(`@tensorflow/tfjs-tflite is not installed; run: npm ci --prefix ${__dirname}`);
  }
  return path.join(path.dirname(pkg), 'wasm');
}

// Load the emscripten module directly. The build targets web/worker only; in
// Node neither environment is detected, so we hand it the .wasm bytes
// (wasmBinary) and it instantiates from them without any fetch/XHR.
function loadRuntime(variant, log) {
  const dir = wasmDir();
  const stem = VARIANTS[variant];
  const factory = require(path.join(dir, `${stem}.js`));
  const wasmBinary = fs.readFileSync(path.join(dir, `${stem}.wasm`));
  return factory({
    wasmBinary,
    locateFile: (p) => path.join(dir, p),
    print: (s) => log.push(String(s)),
    printErr: (s) => log.push(String(s)),
  });
}

// TFLiteWebModelRunnerTensorInfo.dataType -> npy dtype. The runner names only
// these; for any other type it says 'unknown' and data() returns 0.
const KNOWN_TYPES = ['float32', 'float64', 'int8', 'uint8', 'int16', 'int32', 'uint32', 'bool'];

// TfLiteType codes (tensorflow/lite/core/c/common.h) for the types the runner
// calls 'unknown' but whose bytes we can still move: code -> npy dtype.
const UNKNOWN_TYPE_CODES = { 4: 'int64', 10: 'float16', 13: 'uint64', 17: 'uint16' };

// TfLiteTensor on wasm32, in 32-bit words: type @0, data.raw @1, dims @2,
// bytes @6, name @8. Only used to find tensors of 'unknown' types; every
// field we rely on is cross-checked (type, byte size, dims, name).
const TT = { type: 0, data: 1, dims: 2, bytes: 6, name: 8 };

function vectorToArray(vec) {
  const out = [];
  try {
    for (let i = 0; i < vec.size(); i++) out.push(vec.get(i));
  } finally {
    vec.delete();
  }
  return out;
}

function parseShape(s) {
  s = String(s);
  return s === '' ? [] : s.split(',').map((x) => Number(x));
}

function fmtShape(shape) {
  return `[${shape.join(', ')}]`;
}

function cString(M, ptr, max = 4096) {
  const h = M.HEAPU8;
  let end = ptr;
  while (end < h.length && h[end] !== 0 && end - ptr < max) end++;
  return Buffer.from(h.buffer, h.byteOffset + ptr, end - ptr).toString('utf8');
}

class Runner {
  constructor(M, modelBytes, threads, profile = false) {
    this.M = M;
    this.ptr = M._malloc(modelBytes.length);
    M.HEAPU8.set(modelBytes, this.ptr);
    const status = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(this.ptr, modelBytes.length,
      { numThreads: threads, enableProfiling: profile, maxProfilingBufferEntries: 1024 });
    if (!status || !status.ok()) {
      const msg = status ? status.errorMessage() : 'no status';
      if (status) status.delete();
      M._free(this.ptr);
      throw new Error(`failed to create TFLiteWebModelRunner: ${msg}`);
    }
    this.runner = status.value();
    status.delete();
    this.located = new Map(); // tensor id -> word index of its TfLiteTensor
    this.inputs = this.tensors(this.runner.GetInputs());
    this.outputs = this.tensors(this.runner.GetOutputs());
  }

  // Describe a vector of TensorInfo handles; the handles are released.
  tensors(vec) {
    return vectorToArray(vec).map((h) => {
      try {
        const t = { id: h.id, name: h.name, dtype: h.dataType, shape: parseShape(h.shape) };
        if (!KNOWN_TYPES.includes(t.dtype)) this.locate(t);
        return t;
      } finally {
        h.delete();
      }
    });
  }

  // Find the TfLiteTensor of a tensor whose type the runner does not name, by
  // scanning the heap for a struct with a candidate type code, the matching
  // byte size, the same dims and the same name. Sets t.dtype and t.word.
  locate(t) {
    const H = this.M.HEAPU32;
    const count = npy.product(t.shape);
    if (this.located.has(t.id)) {
      const w = this.located.get(t.id);
      t.word = w;
      t.dtype = UNKNOWN_TYPE_CODES[H[w + TT.type]];
      return;
    }
    const hits = [];
    for (let w = 0; w + 9 < H.length; w++) {
      const dtype = UNKNOWN_TYPE_CODES[H[w]];
      if (dtype === undefined) continue;
      if (H[w + TT.bytes] !== count * npy.DTYPES[dtype].size) continue;
      const dims = H[w + TT.dims];
      const name = H[w + TT.name];
      if (dims === 0 || dims % 4 || dims >= this.M.HEAPU8.length || name === 0) continue;
      const d = dims / 4;
      if (H[d] !== t.shape.length) continue;
      let same = true;
      for (let k = 0; k < t.shape.length; k++) if (H[d + 1 + k] !== t.shape[k]) { same = false; break; }
      if (!same || name >= this.M.HEAPU8.length || cString(this.M, name) !== t.name) continue;
      hits.push({ w, dtype });
    }
    if (hits.length !== 1) {
      throw new Error(`tensor '${t.name}' has a type the TFLite web runner does not expose, and `
        + `${hits.length ? 'several' : 'no'} matching TfLiteTensor was found in the wasm heap`);
    }
    this.located.set(t.id, hits[0].w);
    t.word = hits[0].w;
    t.dtype = hits[0].dtype;
  }

  // Live view of a tensor's bytes inside the wasm heap (valid until the next
  // call into the runtime; heap growth detaches old views).
  bytes(t, handle) {
    if (t.word === undefined) {
      const v = handle.data();
      if (!v || typeof v !== 'object') throw new Error(`tensor '${t.name}': data() gave no buffer`);
      return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    }
    const H = this.M.HEAPU32;
    const ptr = H[t.word + TT.data];
    const n = H[t.word + TT.bytes];
    if (ptr === 0) throw new Error(`tensor '${t.name}' has no data buffer`);
    return new Uint8Array(this.M.HEAPU8.buffer, ptr, n);
  }

  // Calls fn(tensorDescription, liveBytes) for every input/output in order.
  withTensors(getter, fn) {
    const hs = vectorToArray(getter.call(this.runner));
    try {
      return hs.map((h, k) => {
        const t = { id: h.id, name: h.name, dtype: h.dataType, shape: parseShape(h.shape) };
        if (!KNOWN_TYPES.includes(t.dtype)) this.locate(t);
        return fn(t, this.bytes(t, h), k);
      });
    } finally {
      for (const h of hs) h.delete();
    }
  }

  setInputs(samples) {
    this.withTensors(this.runner.GetInputs, (t, dst, k) => {
      const src = samples[k];
      if (dst.length !== src.length) {
        throw new Error(`input ${k} '${t.name}': tensor holds ${dst.length} bytes, sample has ${src.length}`);
      }
      dst.set(src);
    });
  }

  infer() {
    if (!this.runner.Infer()) throw new Error('TFLite Infer() failed');
  }

  // Copies of all outputs: [{name, dtype, shape, data: Uint8Array}]
  getOutputs() {
    return this.withTensors(this.runner.GetOutputs, (t, b) => ({ ...t, data: Uint8Array.from(b) }));
  }

  // [{nodeType, nodeName, nodeExecMs}] of the last Infer (needs profiling on).
  profile() {
    return vectorToArray(this.runner.GetProfilingResults())
      .map((p) => ({ nodeType: p.nodeType, nodeName: p.nodeName, nodeExecMs: p.nodeExecMs }));
  }

  close() {
    this.runner.delete();
    this.M._free(this.ptr);
  }
}

function publicInfo(t) {
  return { name: t.name, dtype: t.dtype, shape: t.shape };
}

async function main() {
  let opt;
  try {
    opt = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`run_tflite_wasm: ${e.message}\n${USAGE}\n`);
      return 1;
    }
    throw e;
  }
  if (opt.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opt.batch !== null) return runBatch(opt);
  const log = [];
  let M;
  try {
    M = await loadRuntime(opt.variant, log);
  } catch (e) {
    process.stderr.write(`WASM FAIL: ${e && e.message ? e.message : e}\n`);
    return 1;
  }
  const r = await runOne(opt, M, log);
  if (r.ok) process.stdout.write(`${r.line}\n`);
  else process.stderr.write(`${r.line}\n`);
  return r.ok ? 0 : 1;
}

// --batch FILE: one job per line, each a JSON array of this tool's arguments
// (["m.tflite", "--in", "x.npy", "--out-dir", "D"]). The WebAssembly module is
// loaded once (its start-up dominates single small runs); a job that fails gets
// a fresh module for the next one. Prints "OK <model>" or "FAIL <model>: why"
// per job, in order; exit status 0 even when jobs fail.
async function runBatch(bopt) {
  const lines = fs.readFileSync(bopt.batch, 'utf8').split('\n').filter((l) => l.trim());
  let M = null;
  for (const line of lines) {
    let opt;
    const log = [];
    try {
      opt = parseArgs(JSON.parse(line));
      opt.variant = bopt.variant;
    } catch (e) {
      process.stdout.write(`FAIL ${line}: ${e.message}\n`);
      continue;
    }
    if (M === null) M = await loadRuntime(opt.variant, log);
    const r = await runOne(opt, M, log);
    process.stdout.write(r.ok ? `OK ${opt.model}\n` : `FAIL ${opt.model}: ${r.line.replace(/\n/g, ' ')}\n`);
    if (!r.ok) M = null;
  }
  return 0;
}

async function runOne(opt, M, log) {
  const t0 = process.hrtime.bigint();
  const modelName = path.basename(opt.model);
  let runner = null;
  try {
    const modelBytes = fs.readFileSync(opt.model);
    runner = new Runner(M, modelBytes, opt.threads, opt.profile);
    const inInfo = runner.inputs;

    if (opt.info) {
      // One tensor per line keeps shapes readable.
      const list = (ts) => ts.map((t) => `    ${JSON.stringify(publicInfo(t))}`).join(',\n');
      if (opt.verbose) for (const l of log) process.stderr.write(`${l}\n`);
      return { ok: true, line: `{\n  "model": ${JSON.stringify(modelName)},\n`
        + `  "variant": ${JSON.stringify(opt.variant)},\n`
        + `  "inputs": [\n${list(inInfo)}\n  ],\n  "outputs": [\n${list(runner.outputs)}\n  ]\n}` };
    }

    // Read and check inputs.
    if (opt.inputs.length !== inInfo.length) {
      throw new Error(`model has ${inInfo.length} input(s) but ${opt.inputs.length} --in given`);
    }
    let nSamples = null;
    const inArrays = opt.inputs.map((file, i) => {
      const arr = npy.read(file);
      const want = inInfo[i];
      const what = `input ${i} '${want.name}'`;
      if (!npy.DTYPES[want.dtype]) throw new Error(`${what}: dtype '${want.dtype}' is not supported`);
      if (arr.dtype !== want.dtype) {
        throw new Error(`${what}: model wants ${want.dtype}${fmtShape(want.shape)}, `
          + `${file} holds ${arr.dtype}${fmtShape(arr.shape)}`);
      }
      if (want.shape.some((d) => d < 0)) {
        throw new Error(`${what}: dynamic shape ${fmtShape(want.shape)} is not supported`);
      }
      const per = npy.product(want.shape);
      const have = arr.data.length;
      if (per === 0 || have === 0 || have % per !== 0) {
        throw new Error(`${what}: ${file} has ${have} elements ${fmtShape(arr.shape)}, `
          + `not a multiple of the input's ${per} ${fmtShape(want.shape)}`);
      }
      const n = have / per;
      if (nSamples === null) nSamples = n;
      else if (n !== nSamples) {
        throw new Error(`${what}: ${file} holds ${n} samples but input 0 holds ${nSamples}`);
      }
      const bytes = new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
      const step = per * npy.DTYPES[want.dtype].size;
      return (s) => bytes.subarray(s * step, (s + 1) * step);
    });

    // Run.
    let outs = null; // [{name, dtype, shape, chunks: [Uint8Array]}]
    for (let s = 0; s < nSamples; s++) {
      if (s > 0 && !opt.keepState) {
        runner.close();
        runner = null;
        runner = new Runner(M, modelBytes, opt.threads, opt.profile);
      }
      runner.setInputs(inArrays.map((get) => get(s)));
      runner.infer();
      if (opt.profile && s === 0) {
        for (const p of runner.profile()) {
          process.stderr.write(`profile: ${p.nodeType} ${p.nodeName} ${p.nodeExecMs.toFixed(3)}ms\n`);
        }
      }
      const got = runner.getOutputs();
      if (outs === null) {
        outs = got.map((o, k) => {
          if (!npy.DTYPES[o.dtype]) throw new Error(`output ${k} '${o.name}': dtype '${o.dtype}' is not supported`);
          return { ...publicInfo(o), chunks: [] };
        });
      }
      got.forEach((o, k) => {
        if (o.shape.join(',') !== outs[k].shape.join(',')) {
          throw new Error(`output ${k} '${o.name}' changed shape between samples`);
        }
        outs[k].chunks.push(o.data);
      });
    }
    runner.close();
    runner = null;

    // Write outputs.
    fs.mkdirSync(opt.outDir, { recursive: true });
    const parts = outs.map((o, k) => {
      let shape = o.shape;
      if (nSamples > 1) shape = shape.length > 0 && shape[0] === 1 ? [nSamples, ...shape.slice(1)] : [nSamples, ...shape];
      const d = npy.DTYPES[o.dtype];
      const total = o.chunks.reduce((a, c) => a + c.length, 0);
      const buf = new Uint8Array(total);
      let off = 0;
      for (const c of o.chunks) { buf.set(c, off); off += c.length; }
      npy.write(path.join(opt.outDir, `out${k}.npy`),
        { dtype: o.dtype, shape, data: new d.T(buf.buffer, 0, total / d.size) });
      return `out${k} ${o.dtype}${fmtShape(shape)}`;
    });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (opt.verbose) for (const l of log) process.stderr.write(`${l}\n`);
    const samples = nSamples > 1 ? ` samples=${nSamples}` : '';
    return { ok: true, line: `WASM OK ${modelName} variant=${opt.variant} threads=${opt.threads} `
      + `inputs=${inInfo.length}${samples} ${parts.join('; ')} (${secs.toFixed(2)}s)` };
  } catch (e) {
    for (const l of log) {
      if (opt.verbose || !l.startsWith('INFO: Created TensorFlow Lite XNNPACK delegate')) {
        process.stderr.write(`[tflite] ${l}\n`);
      }
    }
    const msg = e && e.message ? e.message : String(e);
    if (runner) { try { runner.close(); } catch (e2) { /* the module may be unusable now */ } }
    return { ok: false, line: `WASM FAIL ${modelName}: ${msg}` };
  }
}

main().then((rc) => { process.exitCode = rc; }, (e) => {
  process.stderr.write(`WASM FAIL: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});
