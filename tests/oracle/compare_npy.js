#!/usr/bin/env node
'use strict';
// compare_npy.js GOT.npy WANT.npy
// Exit 0 and print "identical" when dtype, shape and every data byte agree;
// otherwise exit 1 and print what differs (count of differing elements, max abs
// difference). Used by selftest.sh.

const npy = require('./npy');

function toNumber(dtype, data, i) {
  if (dtype === 'float16') {
    const h = data[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) return sign * frac * 2 ** -24;
    if (exp === 31) return frac ? NaN : sign * Infinity;
    return sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return Number(data[i]);
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: compare_npy.js GOT.npy WANT.npy\n');
    return 2;
  }
  const got = npy.read(argv[0]);
  const want = npy.read(argv[1]);
  if (got.dtype !== want.dtype) {
    process.stdout.write(`dtype differs: got ${got.dtype}, want ${want.dtype}\n`);
    return 1;
  }
  if (got.shape.join(',') !== want.shape.join(',')) {
    process.stdout.write(`shape differs: got [${got.shape}], want [${want.shape}]\n`);
    return 1;
  }
  const size = npy.DTYPES[got.dtype].size;
  const gb = Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength);
  const wb = Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength);
  if (gb.equals(wb)) {
    process.stdout.write(`identical ${got.dtype}[${got.shape.join(', ')}]\n`);
    return 0;
  }
  let ndiff = 0;
  let maxAbs = 0;
  let first = -1;
  for (let i = 0; i < got.data.length; i++) {
    if (!gb.subarray(i * size, (i + 1) * size).equals(wb.subarray(i * size, (i + 1) * size))) {
      ndiff++;
      if (first < 0) first = i;
      const d = Math.abs(toNumber(got.dtype, got.data, i) - toNumber(want.dtype, want.data, i));
      if (!(d <= maxAbs)) maxAbs = d; // NaN propagates
    }
  }
  process.stdout.write(`DIFFERS ${got.dtype}[${got.shape.join(', ')}]: ${ndiff}/${got.data.length} elements, `
    + `max abs diff ${maxAbs}, first at flat index ${first} `
    + `(got ${toNumber(got.dtype, got.data, first)}, want ${toNumber(want.dtype, want.data, first)})\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
