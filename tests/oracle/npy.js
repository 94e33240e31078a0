'use strict';
// Minimal .npy reader/writer (NumPy format versions 1.0/2.0/3.0 read, 1.0 write).
// Little-endian, C order only. Written for the tflc oracle; no dependencies.
//
// An array is represented as { dtype, shape, data } where
//   dtype: one of the names in DTYPES below ('float32', 'int8', ...)
//   shape: array of non-negative integers
//   data:  a TypedArray of the matching kind (Uint16Array holding raw bits for
//          float16, Uint8Array holding 0/1 for bool, BigInt64Array for int64).

const fs = require('fs');

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

// dtype name -> { descr written, descrs accepted on read, TypedArray, itemsize }
const DTYPES = {
  float32: { descr: '<f4', accept: ['<f4'], T: Float32Array, size: 4 },
  float64: { descr: '<f8', accept: ['<f8'], T: Float64Array, size: 8 },
  float16: { descr: '<f2', accept: ['<f2'], T: Uint16Array, size: 2 },
  int8: { descr: '|i1', accept: ['|i1', '<i1', 'i1'], T: Int8Array, size: 1 },
  uint8: { descr: '|u1', accept: ['|u1', '<u1', 'u1'], T: Uint8Array, size: 1 },
  int16: { descr: '<i2', accept: ['<i2'], T: Int16Array, size: 2 },
  uint16: { descr: '<u2', accept: ['<u2'], T: Uint16Array, size: 2 },
  int32: { descr: '<i4', accept: ['<i4'], T: Int32Array, size: 4 },
  uint32: { descr: '<u4', accept: ['<u4'], T: Uint32Array, size: 4 },
  int64: { descr: '<i8', accept: ['<i8'], T: BigInt64Array, size: 8 },
  uint64: { descr: '<u8', accept: ['<u8'], T: BigUint64Array, size: 8 },
  bool: { descr: '|b1', accept: ['|b1', '<b1', 'b1', '?'], T: Uint8Array, size: 1 },
};

function dtypeFromDescr(descr) {
  for (const [name, d] of Object.entries(DTYPES)) {
    if (d.accept.includes(descr)) return name;
  }
  if (descr.startsWith('>')) {
    throw new Error(`npy: big-endian dtype '${descr}' is not supported`);
  }
  throw new Error(`npy: unsupported dtype '${descr}'`);
}

function product(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// Parse the Python-literal header dict written by numpy, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), }
function parseHeader(text) {
  const descrM = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text);
  const fortM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descrM || !fortM || !shapeM) {
    throw new Error(`npy: cannot parse header: ${text.trim()}`);
  }
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new Error(`npy: bad shape entry '${s}'`);
      return v;
    });
  return { descr: descrM[1], fortran: fortM[1] === 'True', shape };
}

// Decode a .npy file held in a Buffer.
function decode(buf, label = '<buffer>') {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) {
    throw new Error(`npy: ${label}: not a .npy file (bad magic)`);
  }
  const major = buf[6];
  let headerLen;
  let offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    throw new Error(`npy: ${label}: unsupported format version ${major}.${buf[7]}`);
  }
  const enc = major === 3 ? 'utf8' : 'latin1';
  const header = buf.toString(enc, offset, offset + headerLen);
  const { descr, fortran, shape } = parseHeader(header);
  if (fortran) throw new Error(`npy: ${label}: fortran_order arrays are not supported`);
  const dtype = dtypeFromDescr(descr);
  const info = DTYPES[dtype];
  const count = product(shape);
  const start = offset + headerLen;
  const nbytes = count * info.size;
  if (buf.length - start < nbytes) {
    throw new Error(`npy: ${label}: truncated data (${buf.length - start} bytes, need ${nbytes})`);
  }
  // Copy into a fresh, aligned ArrayBuffer.
  const ab = new ArrayBuffer(nbytes);
  new Uint8Array(ab).set(buf.subarray(start, start + nbytes));
  return { dtype, shape, data: new info.T(ab) };
}

function read(file) {
  return decode(fs.readFileSync(file), file);
}

function shapeLiteral(shape) {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

// Encode as format version 1.0, header padded the way numpy pads it
// (total header length a multiple of 64, terminated by '\n').
function encode(arr) {
  const info = DTYPES[arr.dtype];
  if (!info) throw new Error(`npy: cannot write dtype '${arr.dtype}'`);
  const count = product(arr.shape);
  if (arr.data.length !== count) {
    throw new Error(`npy: data length ${arr.data.length} does not match shape [${arr.shape}]`);
  }
  let dict = `{'descr': '${info.descr}', 'fortran_order': False, 'shape': ${shapeLiteral(arr.shape)}, }`;
  const fixed = MAGIC.length + 2 + 2; // magic, version, uint16 length
  const total = Math.ceil((fixed + dict.length + 1) / 64) * 64;
  dict = dict + ' '.repeat(total - fixed - dict.length - 1) + '\n';
  if (dict.length > 65535) throw new Error('npy: header too long for format 1.0');
  const head = Buffer.alloc(fixed);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const body = Buffer.from(arr.data.buffer, arr.data.byteOffset, count * info.size);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), body]);
}

function write(file, arr) {
  fs.writeFileSync(file, encode(arr));
}

module.exports = { DTYPES, read, write, decode, encode, product };
