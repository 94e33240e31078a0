#!/usr/bin/python3
"""Independent .tflite reader for the acceptance checks (../shared/check expects it at
../shared/oracle/tflite_inspect.py, which this machine's shared folder lacks; see
tests/acceptance/README.md). Reads the flatbuffer with python3-flatbuffers' low-level
accessors and the op names from the schema file; shares no code with tflc.
  tflite_inspect.py MODEL.tflite --json
API used by the checks: T (table view), TENSOR_TYPES, load_op_names(schema), inspect(path, opts)."""
import json
import os
import re
import struct
import sys

import flatbuffers

TENSOR_TYPES = ["FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
                "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
                "INT2", "UINT4", "FLOAT8_E4M3FN", "FLOAT8_E5M2"]
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec", "tflite_schema.fbs")


class T:
    """A flatbuffer table at absolute position pos of buf."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vlen = struct.unpack_from("<H", buf, self.vt)[0]

    def _off(self, i):
        o = 4 + 2 * i
        return struct.unpack_from("<H", self.buf, self.vt + o)[0] if o < self.vlen else 0

    def scalar(self, i, fmt, default=0):
        o = self._off(i)
        return struct.unpack_from("<" + fmt, self.buf, self.pos + o)[0] if o else default

    def _deref(self, at):
        return at + struct.unpack_from("<I", self.buf, at)[0]

    def table(self, i):
        o = self._off(i)
        return T(self.buf, self._deref(self.pos + o)) if o else None

    def string(self, i):
        o = self._off(i)
        if not o:
            return None
        s = self._deref(self.pos + o)
        n = struct.unpack_from("<I", self.buf, s)[0]
        return bytes(self.buf[s + 4:s + 4 + n]).decode("utf-8", "replace")

    def _vec(self, i):
        o = self._off(i)
        if not o:
            return None, 0
        v = self._deref(self.pos + o)
        return v + 4, struct.unpack_from("<I", self.buf, v)[0]

    def vec_tables(self, i):
        start, n = self._vec(i)
        return [T(self.buf, self._deref(start + 4 * k)) for k in range(n)] if start else []

    def vec_scalars(self, i, fmt):
        start, n = self._vec(i)
        if not start:
            return []
        sz = struct.calcsize("<" + fmt)
        return [struct.unpack_from("<" + fmt, self.buf, start + sz * k)[0] for k in range(n)]


def load_op_names(schema=SCHEMA):
    text = open(schema).read()
    body = re.search(r"enum BuiltinOperator\s*:\s*int32\s*\{(.*?)\}", text, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    names = {}
    for m in re.finditer(r"([A-Z0-9_]+)\s*=\s*(-?\d+)", body):
        names[int(m.group(2))] = m.group(1)
    return names


def inspect(path, opts):
    buf = bytearray(open(path, "rb").read())
    names = load_op_names()
    model = T(buf, flatbuffers.encode.Get(flatbuffers.packer.uoffset, buf, 0))
    codes = []
    for oc in model.vec_tables(1):
        code = max(oc.scalar(3, "i", 0), oc.scalar(0, "b"))
        custom = oc.string(1)
        codes.append("CUSTOM:" + custom if custom else names.get(code, str(code)))
    sgs = []
    for sg in model.vec_tables(2):
        ts = sg.vec_tables(0)

        def td(i):
            t = ts[i]
            q = t.table(4)
            d = {"name": t.string(3), "dtype": TENSOR_TYPES[t.scalar(1, "b")], "shape": t.vec_scalars(0, "i")}
            sc = q.vec_scalars(2, "f") if q else []
            if sc:
                zp = q.vec_scalars(3, "q")
                d["quant"] = {"scale": sc[0] if len(sc) == 1 else sc, "zero_point": zp[0] if len(zp) == 1 else zp}
            return d

        ops = [codes[op.scalar(0, "I")] for op in sg.vec_tables(3)]
        sgs.append({"inputs": [td(i) for i in sg.vec_scalars(1, "i")], "outputs": [td(i) for i in sg.vec_scalars(2, "i")],
                    "ops": ops, "n_ops": len(ops), "n_tensors": len(ts)})
    return {"version": model.scalar(0, "I"), "subgraphs": sgs}


if __name__ == "__main__":
    info = inspect(sys.argv[1], {})
    if "--json" in sys.argv:
        print(json.dumps(info))
    else:
        for s in info["subgraphs"]:
            print(" ".join(s["ops"]))
