#!/usr/bin/python3
"""roundtrip_vs_flatc.py TFLC SHARED: `tflc convert M -o OUT` on every shared .tflite.

Per model: flatc's JSON of M and of OUT are byte-identical text; OUT's size is a multiple of 16;
every Buffer.data vector of OUT starts at a 16-byte aligned file offset; buffer 0 is empty; and
converting OUT again gives the same bytes (canonical form). Then, on one model: converting a file
onto itself (same path, another spelling, a symlink) is refused with exit 1 and leaves the input
untouched; converting a corrupted input exits 1 and leaves neither the output nor a temporary
file (*.tmp-*) behind, and an existing output stays as it was.
Missing ../shared or flatc: fail when TFLC_REQUIRE_SHARED=1, else skip (exit 77)."""
import glob
import hashlib
import os
import shutil
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flatc_util as fu  # noqa: E402


def convert(tflc, src, dst):
    return subprocess.run([tflc, 'convert', src, '-o', dst], capture_output=True, text=True)


def check_layout(out_bytes):
    """Problems with OUT's layout, [] when fine."""
    errs = []
    if len(out_bytes) % 16:
        errs.append(f'size {len(out_bytes)} is not a multiple of 16')
    root = fu.model_root(out_bytes)
    bufs = root.tables(fu.MODEL_BUFFERS)
    if not bufs:
        errs.append('no buffers')
        return errs
    start, n = bufs[0].vector(fu.BUFFER_DATA)
    if n or bufs[0].scalar(fu.BUFFER_OFFSET, 'Q') or bufs[0].scalar(fu.BUFFER_SIZE, 'Q'):
        errs.append(f'buffer 0 is not empty ({n} data bytes)')
    for i, b in enumerate(bufs):
        start, n = b.vector(fu.BUFFER_DATA)
        if start is not None and start % 16:
            errs.append(f'buffers[{i}].data ({n} bytes) starts at offset {start}, not 16-byte aligned')
        if b.scalar(fu.BUFFER_OFFSET, 'Q') > 1:
            errs.append(f'buffers[{i}] still uses external data')
    return errs


def tmp_files(folder):
    return sorted(glob.glob(os.path.join(folder, '*.tmp-*')))


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def refusal_checks(tflc, model, work):
    """Returns a list of failures (strings)."""
    errs = []
    d = os.path.join(work, 'self')
    os.makedirs(d)
    m = os.path.join(d, 'model.tflite')
    shutil.copy(model, m)
    before = digest(m)
    mtime = os.stat(m).st_mtime_ns
    os.symlink(m, os.path.join(d, 'link.tflite'))
    spellings = [m, os.path.join(d, '..', 'self', 'model.tflite'), os.path.join(d, 'link.tflite')]
    for out in spellings:
        r = convert(tflc, m, out)
        if r.returncode != 1:
            errs.append(f'convert {m} -o {out}: exit {r.returncode}, expected 1 (refuse to overwrite the input)')
        elif not r.stderr.startswith('tflc: error: '):
            errs.append(f'convert onto its input: stderr {r.stderr.strip()[:200]!r}')
    if digest(m) != before or os.stat(m).st_mtime_ns != mtime:
        errs.append('convert onto its input modified the input')
    if tmp_files(d):
        errs.append(f'temporary files left: {tmp_files(d)}')

    # Corrupted inputs: no output, no temporary file; an existing output is left alone.
    data = open(model, 'rb').read()
    bad_inputs = {
        'truncated.tflite': data[: len(data) // 2],
        'garbage.tflite': bytes((i * 37 + 11) & 0xFF for i in range(4096)),
        'badid.tflite': data[:4] + b'XXXX' + data[8:],
        'empty.tflite': b'',
    }
    cd = os.path.join(work, 'corrupt')
    os.makedirs(cd)
    outdir = os.path.join(work, 'outdir')
    os.makedirs(outdir)
    for name, content in bad_inputs.items():
        src = os.path.join(cd, name)
        with open(src, 'wb') as f:
            f.write(content)
        out = os.path.join(outdir, 'out_' + name)
        r = convert(tflc, src, out)
        if r.returncode != 1:
            errs.append(f'convert {name}: exit {r.returncode}, expected 1')
        if not r.stderr.startswith(f'tflc: error: {src}: '):
            errs.append(f'convert {name}: stderr {r.stderr.strip()[:200]!r}')
        if os.path.exists(out):
            errs.append(f'convert {name}: output {out} was created')
        if tmp_files(outdir) or tmp_files(cd):
            errs.append(f'convert {name}: temporary files left: {tmp_files(outdir) + tmp_files(cd)}')
    keep = os.path.join(outdir, 'existing.tflite')
    with open(keep, 'wb') as f:
        f.write(b'previous contents')
    r = convert(tflc, os.path.join(cd, 'truncated.tflite'), keep)
    if r.returncode != 1 or open(keep, 'rb').read() != b'previous contents':
        errs.append('convert of a corrupted input touched an existing output file')
    # An output folder that does not exist: exit 1, nothing created.
    r = convert(tflc, model, os.path.join(work, 'no', 'such', 'dir', 'out.tflite'))
    if r.returncode != 1 or os.path.exists(os.path.join(work, 'no')):
        errs.append(f'convert into a missing folder: exit {r.returncode}, expected 1 and nothing created')
    if tmp_files(outdir):
        errs.append(f'temporary files left: {tmp_files(outdir)}')
    return errs


def main():
    if len(sys.argv) != 3:
        print('usage: roundtrip_vs_flatc.py TFLC SHARED')
        return 2
    tflc = fu.tflc_binary(sys.argv[1])
    shared = sys.argv[2]
    models = fu.shared_models(shared)
    flatc = fu.find_flatc()
    with fu.temp_dir('tflc-roundtrip-') as tmp:
        schema = fu.flatc_schema(shared, tmp)
        bad = []
        for m in models:
            name = os.path.relpath(m, shared)
            stem = os.path.splitext(os.path.basename(m))[0]
            out = os.path.join(tmp, 'out', stem + '.tflite')
            os.makedirs(os.path.dirname(out), exist_ok=True)
            r = convert(tflc, m, out)
            if r.returncode != 0:
                bad.append(name)
                print(f'FAIL {name}: tflc convert exited {r.returncode}: {r.stderr.strip()[:300]}')
                continue
            try:
                a = fu.flatc_json_text(flatc, schema, m, os.path.join(tmp, 'in_json'), remove=True)
                b = fu.flatc_json_text(flatc, schema, out, os.path.join(tmp, 'out_json'), remove=True)
            except RuntimeError as e:
                bad.append(name)
                print(f'FAIL {name}: {e}')
                continue
            if a != b:
                al, bl = a.splitlines(), b.splitlines()
                k = next((i for i, (x, y) in enumerate(zip(al, bl)) if x != y), min(len(al), len(bl)))
                ctx = al[max(0, k - 3):k]
                bad.append(name)
                print(f'FAIL {name}: flatc JSON differs at line {k + 1}: '
                      f'input {al[k].strip() if k < len(al) else "<end>"!r} vs '
                      f'output {bl[k].strip() if k < len(bl) else "<end>"!r} (after {[c.strip() for c in ctx]})')
                continue
            out_bytes = open(out, 'rb').read()
            try:
                errs = check_layout(out_bytes)
            except (struct.error, IndexError) as e:
                errs = [f'unreadable output: {e}']
            again = out + '.again.tflite'
            r = convert(tflc, out, again)
            if r.returncode != 0 or open(again, 'rb').read() != out_bytes:
                errs.append('converting the output again changes it (not canonical)')
            if errs:
                bad.append(name)
                print(f'FAIL {name}: {"; ".join(errs)}')
                continue
            os.unlink(again)
            print(f'ok   {name}: {os.path.getsize(m)} -> {len(out_bytes)} bytes, flatc JSON identical')
        errs = refusal_checks(tflc, models[0], os.path.join(tmp, 'refuse'))
        for e in errs:
            print(f'FAIL {e}')
        if not errs:
            print('ok   convert refuses to overwrite its input; corrupted inputs leave no output or temporary file')
    print(f'round trip identical under flatc on {len(models) - len(bad)}/{len(models)} models')
    return 1 if bad or errs else 0


if __name__ == '__main__':
    sys.exit(main())
