'use strict';
// Writes tiny .tflite flatbuffers for the oracle's own tests (no dependencies).
// Only what those tests need: tensors, one subgraph, builtin operators without
// options, empty buffers. Field ids follow ../shared/spec/tflite_schema.fbs.
//
// Layout is front to back: a table's vtable is written right before it, its
// children (vectors, strings, sub-tables) after it, so every uoffset points
// forward as the format requires.

const TYPES = {
  float32: 0, float16: 1, int32: 2, uint8: 3, int64: 4, bool: 6, int16: 7, int8: 9,
  float64: 10, uint64: 12, uint32: 15, uint16: 16,
};
const OPS = { ADD: 0, RESHAPE: 22, SUB: 41, CAST: 53 };

class Writer {
  constructor() {
    this.buf = Buffer.alloc(1 << 16);
    this.pos = 0;
  }

  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    const nb = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(nb);
    this.buf = nb;
  }

  align(n) {
    while (this.pos % n) { this.ensure(1); this.buf[this.pos++] = 0; }
  }

  u8(v) { this.ensure(1); this.buf.writeUInt8(v, this.pos); this.pos += 1; }
  u16(v) { this.ensure(2); this.buf.writeUInt16LE(v, this.pos); this.pos += 2; }
  i32(v) { this.ensure(4); this.buf.writeInt32LE(v, this.pos); this.pos += 4; }
  u32(v) { this.ensure(4); this.buf.writeUInt32LE(v, this.pos); this.pos += 4; }

  // Patch the uoffset slot at `slot` to point at the current position.
  patch(slot) { this.buf.writeUInt32LE(this.pos - slot, slot); }

  // Value kinds: {k:'u8'|'i8'|'u32'|'i32', v}, {k:'vec_i32', v:[..]},
  // {k:'str', v}, {k:'table', v:fields}, {k:'vec_table', v:[fields,...]}.
  // fields: array indexed by field id (holes allowed).
  table(fields) {
    const present = [];
    fields.forEach((f, id) => { if (f !== undefined && f !== null) present.push(id); });
    const nslots = fields.length;
    // Inline layout: soffset (4) then 4-byte slots for every field (simple, aligned).
    const tableSize = 4 + 4 * present.length;
    this.align(4);
    const vtSize = 4 + 2 * nslots;
    const vtPos = this.pos;
    this.u16(vtSize);
    this.u16(tableSize);
    const offsets = new Array(nslots).fill(0);
    present.forEach((id, j) => { offsets[id] = 4 + 4 * j; });
    for (const o of offsets) this.u16(o);
    this.align(4);
    const tPos = this.pos;
    this.i32(tPos - vtPos);
    const later = [];
    for (const id of present) {
      const f = fields[id];
      const slot = this.pos;
      switch (f.k) {
        case 'u8': this.u8(f.v); this.u8(0); this.u16(0); break;
        case 'i8': this.u8(f.v & 0xff); this.u8(0); this.u16(0); break;
        case 'u32': this.u32(f.v); break;
        case 'i32': this.i32(f.v); break;
        default: this.u32(0); later.push([slot, f]);
      }
    }
    for (const [slot, f] of later) this.child(slot, f);
    return tPos;
  }

  child(slot, f) {
    switch (f.k) {
      case 'vec_i32':
        this.align(4); this.patch(slot);
        this.u32(f.v.length); for (const x of f.v) this.i32(x);
        break;
      case 'str': {
        this.align(4); this.patch(slot);
        const b = Buffer.from(f.v, 'utf8');
        this.u32(b.length); this.ensure(b.length + 1); b.copy(this.buf, this.pos); this.pos += b.length;
        this.u8(0);
        break;
      }
      case 'table': {
        // The table's own vtable comes first; point at the table itself.
        const t = this.table(f.v);
        this.buf.writeUInt32LE(t - slot, slot);
        break;
      }
      case 'vec_table': {
        this.align(4); this.patch(slot);
        this.u32(f.v.length);
        const slots = f.v.map(() => { const s = this.pos; this.u32(0); return s; });
        f.v.forEach((fields, i) => {
          const t = this.table(fields);
          this.buf.writeUInt32LE(t - slots[i], slots[i]);
        });
        break;
      }
      default: throw new Error(`fixture: unknown field kind ${f.k}`);
    }
  }
}

// spec: { tensors: [{name, type, shape}], inputs: [idx], outputs: [idx],
//         ops: [{op: 'SUB', inputs: [..], outputs: [..]}] }
function buildModel(spec) {
  const opNames = [...new Set((spec.ops || []).map((o) => o.op))];
  const w = new Writer();
  w.u32(0); // root uoffset, patched below
  w.buf.write('TFL3', 4, 'latin1'); w.pos = 8;
  const tensors = spec.tensors.map((t) => [
    { k: 'vec_i32', v: t.shape },
    { k: 'i8', v: TYPES[t.type] },
    { k: 'u32', v: 0 }, // buffer 0: the empty sentinel buffer
    { k: 'str', v: t.name },
  ]);
  const operators = (spec.ops || []).map((o) => [
    { k: 'u32', v: opNames.indexOf(o.op) },
    { k: 'vec_i32', v: o.inputs },
    { k: 'vec_i32', v: o.outputs },
  ]);
  const opcodes = opNames.map((n) => [
    { k: 'i8', v: OPS[n] }, undefined, { k: 'i32', v: 1 }, { k: 'i32', v: OPS[n] },
  ]);
  const subgraph = [
    { k: 'vec_table', v: tensors },
    { k: 'vec_i32', v: spec.inputs },
    { k: 'vec_i32', v: spec.outputs },
    { k: 'vec_table', v: operators },
    { k: 'str', v: 'main' },
  ];
  const model = [
    { k: 'u32', v: 3 },
    { k: 'vec_table', v: opcodes },
    { k: 'vec_table', v: [subgraph] },
    { k: 'str', v: 'tflc oracle test fixture' },
    { k: 'vec_table', v: [[]] }, // buffers: [empty]
  ];
  const root = w.table(model);
  w.buf.writeUInt32LE(root, 0);
  w.align(16);
  return Buffer.from(w.buf.subarray(0, w.pos));
}

module.exports = { buildModel, TYPES };
