"""Helpers shared by the flatc-based format tests (inspect_vs_flatc.py, roundtrip_vs_flatc.py,
cli_errors.py): locating ../shared and flatc, the skip/fail policy, running Google's flatc on a
.tflite, facts parsed from the .fbs schema, and a tiny independent flatbuffer reader (struct
only, no generated code) for byte positions and exact float bits that flatc's JSON cannot show.

Skip policy: a missing shared folder or flatc fails when TFLC_REQUIRE_SHARED=1 (CI) and skips
otherwise (exit 77, which ctest reports as skipped through SKIP_RETURN_CODE)."""
import glob
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77


def require(what_is_missing):
    """Missing prerequisite: fail under TFLC_REQUIRE_SHARED=1, else skip."""
    if os.environ.get('TFLC_REQUIRE_SHARED') == '1':
        print(f'FAIL: {what_is_missing} (TFLC_REQUIRE_SHARED=1)')
        sys.exit(1)
    print(f'SKIP: {what_is_missing}')
    sys.exit(SKIP)


def shared_models(shared):
    """Every .tflite under shared/models/tflite and shared/models/keras, sorted."""
    if not shared or not os.path.isdir(shared):
        require(f'shared folder {shared!r} not found')
    models = sorted(glob.glob(os.path.join(shared, 'models', 'tflite', '*.tflite')) +
                    glob.glob(os.path.join(shared, 'models', 'keras', '*.tflite')))
    if not models:
        require(f'no .tflite models under {shared}/models')
    return models


def find_flatc():
    flatc = shutil.which('flatc') or ('/usr/bin/flatc' if os.path.exists('/usr/bin/flatc') else None)
    if not flatc:
        require('flatc not found (Debian package flatbuffers-compiler)')
    return flatc


# flatc 2.0.8 cannot parse `(deprecated)` on enum/union values; strip it there only.
_ENUM_VALUE_DEPRECATED = re.compile(r'^(\s*[A-Za-z_0-9]+(\s*=\s*[0-9]+)?)\s*\(deprecated\)\s*,', re.M)


def flatc_schema(shared, tmp):
    src = os.path.join(shared, 'spec', 'tflite_schema.fbs')
    if not os.path.exists(src):
        require(f'{src} not found')
    text = open(src, encoding='utf-8').read()
    dst = os.path.join(tmp, 'schema.fbs')
    with open(dst, 'w', encoding='utf-8') as f:
        f.write(_ENUM_VALUE_DEPRECATED.sub(r'\1,', text))
    return dst


def flatc_json_text(flatc, schema, model, outdir, remove=False):
    """flatc's JSON for `model` as text (written to outdir/<stem>.json, deleted if `remove`)."""
    os.makedirs(outdir, exist_ok=True)
    r = subprocess.run([flatc, '--json', '--strict-json', '--raw-binary', '--defaults-json',
                        '-o', outdir, schema, '--', model], capture_output=True, text=True)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(model))[0] + '.json')
    if r.returncode != 0 or not os.path.exists(out):
        raise RuntimeError(f'flatc failed on {model}: {r.stderr.strip()[:300]}')
    with open(out, encoding='utf-8', errors='surrogateescape') as f:
        text = f.read()
    if remove:
        os.unlink(out)
    return text


class SchemaFacts:
    """What the comparisons need from the .fbs, parsed independently of tflc's generator:
    BuiltinOperator values and each table's deprecated fields."""

    def __init__(self, fbs_path):
        text = open(fbs_path, encoding='utf-8').read()
        text = re.sub(r'//[^\n]*', '', text)
        self.op_value = {}
        m = re.search(r'enum\s+BuiltinOperator\s*:\s*\w+\s*\{(.*?)\}', text, re.S)
        nxt = 0
        for item in m.group(1).split(','):
            item = re.sub(r'\(.*?\)', '', item).strip()
            if not item:
                continue
            if '=' in item:
                name, val = (x.strip() for x in item.split('='))
                nxt = int(val)
            else:
                name = item
            self.op_value[name] = nxt
            nxt += 1
        self.op_name = {v: k for k, v in self.op_value.items()}
        self.deprecated = {}
        for tm in re.finditer(r'\btable\s+(\w+)\s*(?:\([^)]*\))?\s*\{(.*?)\}', text, re.S):
            dep = set()
            for fm in re.finditer(r'(\w+)\s*:[^;]*;', tm.group(2)):
                if 'deprecated' in fm.group(0):
                    dep.add(fm.group(1))
            self.deprecated[tm.group(1)] = dep
        self.any_deprecated = set().union(*self.deprecated.values())

    def code_of(self, value):
        """builtin_code as flatc prints it (an enum name, or a number when unknown)."""
        if isinstance(value, int):
            return value
        return self.op_value[value]

    def label(self, code, custom_code):
        if code == self.op_value['CUSTOM']:
            return 'CUSTOM:' + (custom_code or '')
        return self.op_name.get(code, f'BUILTIN_{code}')


# ---- a tiny flatbuffer reader over bytes (TFLite field ids from the schema's field order) ----

class Table:
    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        vt = pos - struct.unpack_from('<i', buf, pos)[0]
        self.vt = vt
        self.vt_size = struct.unpack_from('<H', buf, vt)[0]

    def field(self, fid):
        """Absolute position of field `fid`, or None when absent."""
        slot = 4 + 2 * fid
        if slot + 2 > self.vt_size:
            return None
        fo = struct.unpack_from('<H', self.buf, self.vt + slot)[0]
        return self.pos + fo if fo else None

    def scalar(self, fid, fmt, default=0):
        p = self.field(fid)
        return struct.unpack_from('<' + fmt, self.buf, p)[0] if p is not None else default

    def deref(self, fid):
        p = self.field(fid)
        return None if p is None else p + struct.unpack_from('<I', self.buf, p)[0]

    def vector(self, fid):
        """(position of the first element, element count), or (None, 0) when absent."""
        v = self.deref(fid)
        if v is None:
            return None, 0
        return v + 4, struct.unpack_from('<I', self.buf, v)[0]

    def tables(self, fid):
        start, n = self.vector(fid)
        out = []
        for i in range(n):
            p = start + 4 * i
            out.append(Table(self.buf, p + struct.unpack_from('<I', self.buf, p)[0]))
        return out

    def table(self, fid):
        p = self.deref(fid)
        return Table(self.buf, p) if p is not None else None

    def f32s(self, fid):
        start, n = self.vector(fid)
        return [] if start is None else list(struct.unpack_from(f'<{n}f', self.buf, start))


def model_root(buf):
    return Table(buf, struct.unpack_from('<I', buf, 0)[0])


# Field ids (order of declaration in tflite_schema.fbs).
MODEL_SUBGRAPHS, MODEL_BUFFERS = 2, 4
SUBGRAPH_TENSORS = 0
TENSOR_QUANTIZATION = 4
QUANT_SCALE = 2
BUFFER_DATA, BUFFER_OFFSET, BUFFER_SIZE = 0, 1, 2


def tflc_binary(path):
    if not path or not os.access(path, os.X_OK):
        print(f'FAIL: tflc binary {path!r} not found or not executable')
        sys.exit(1)
    return path


def temp_dir(prefix):
    """A temporary folder removed on exit (use with `with`)."""
    return tempfile.TemporaryDirectory(prefix=prefix)
