#!/usr/bin/python3
"""cli_errors.py TFLC [SHARED]: the CLI's error style.

Bad input (truncated, garbage, empty, bit-flipped, wrong identifier, a folder, a missing file)
through `tflc inspect`, `tflc inspect --json` and `tflc convert` gives exit status 1, nothing on
stdout, and exactly one line on stderr starting with "tflc: error: FILE: ". Bad usage (unknown
command or option, no model, no -o, two models) gives exit status 2 and a "tflc: error: " line.
150 seeded mutations go through `inspect` and `inspect --json`: each exits 0 (with valid JSON)
or 1 (with the one-line error), never anything else (a crash or sanitizer report).
Without ../shared the bad inputs are derived from a small model written here by hand."""
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flatc_util as fu  # noqa: E402


def tiny_model():
    """A valid 1-op TFLite model (ADD of two [2] float tensors), laid out by hand."""
    out = bytearray()

    def align(n):
        while len(out) % n:
            out.append(0)

    def here():
        return len(out)

    # Laid out front to back: root offset + identifier, then objects; offsets patched later.
    out += b'\0\0\0\0TFL3'
    patches = []  # (position of a uoffset, target name)
    objs = {}

    def uoff(target):
        align(4)
        patches.append((here(), target))
        out.extend(b'\0\0\0\0')

    def table(name, fields):
        """fields: list of (id, kind, value); kind 'u32'/'i32'/'i8'/'off'."""
        # vtable first, then the table (soffset = table - vtable > 0)
        align(2)
        nfields = max(f[0] for f in fields) + 1 if fields else 0
        layout, off = [], 4
        for fid, kind, val in fields:
            size = 1 if kind == 'i8' else 4
            while off % size:
                off += 1
            layout.append((fid, kind, val, off))
            off += size
        tsize = (off + 3) & ~3
        vt = here()
        out.extend(struct.pack('<HH', 4 + 2 * nfields, tsize))
        slots = [0] * nfields
        for fid, _, _, o in layout:
            slots[fid] = o
        out.extend(struct.pack(f'<{nfields}H', *slots))
        align(4)
        t = here()
        objs[name] = t
        out.extend(struct.pack('<i', t - vt))
        out.extend(b'\0' * (tsize - 4))
        for fid, kind, val, o in layout:
            if kind == 'off':
                patches.append((t + o, val))
            else:
                struct.pack_into({'u32': '<I', 'i32': '<i', 'i8': '<b'}[kind], out, t + o, val)

    def vec(name, fmt, items):
        align(4)
        objs[name] = here()
        out.extend(struct.pack('<I', len(items)))
        out.extend(struct.pack(f'<{len(items)}{fmt}', *items))

    def vec_refs(name, targets):
        align(4)
        objs[name] = here()
        out.extend(struct.pack('<I', len(targets)))
        for tname in targets:
            uoff(tname)

    def string(name, s):
        align(4)
        objs[name] = here()
        b = s.encode()
        out.extend(struct.pack('<I', len(b)) + b + b'\0')

    # Parents before children, so every uoffset points forward (patched at the end).
    table('model', [(0, 'u32', 3), (1, 'off', 'ocs'), (2, 'off', 'sgs'), (4, 'off', 'buffers')])
    vec_refs('sgs', ['sg'])
    table('sg', [(0, 'off', 'tensors'), (1, 'off', 'in'), (2, 'off', 'out'), (3, 'off', 'ops')])
    vec_refs('ops', ['op'])
    table('op', [(1, 'off', 'in'), (2, 'off', 'out')])
    vec('in', 'i', [0, 1])
    vec('out', 'i', [2])
    vec_refs('tensors', ['t0', 't1', 't2'])
    for i in range(3):
        table(f't{i}', [(0, 'off', 'shape'), (3, 'off', f'n{i}')])
        string(f'n{i}', f't{i}')
    vec('shape', 'i', [2])
    vec_refs('ocs', ['oc'])
    table('oc', [(2, 'i32', 1), (3, 'i32', 0)])  # ADD v1
    vec_refs('buffers', ['buf0'])
    table('buf0', [])
    struct.pack_into('<I', out, 0, objs['model'])
    for at, target in patches:
        delta = objs[target] - at
        if delta <= 0:  # uoffsets must point forward; this layout never needs otherwise
            raise AssertionError(f'backward offset to {target}')
        struct.pack_into('<I', out, at, delta)
    align(16)
    return bytes(out)


def run(tflc, *args):
    r = subprocess.run([tflc, *args], capture_output=True)
    r.stdout = r.stdout.decode('utf-8', 'replace')  # names in text output are raw bytes
    r.stderr = r.stderr.decode('utf-8', 'replace')
    return r


def main():
    if len(sys.argv) not in (2, 3):
        print('usage: cli_errors.py TFLC [SHARED]')
        return 2
    tflc = fu.tflc_binary(sys.argv[1])
    shared = sys.argv[2] if len(sys.argv) == 3 else None
    fails = []
    with tempfile.TemporaryDirectory(prefix='tflc-cli-') as tmp:
        model = None
        if shared and os.path.exists(os.path.join(shared, 'models', 'tflite', 'tfmicro_hello_world_int8.tflite')):
            model = open(os.path.join(shared, 'models', 'tflite', 'tfmicro_hello_world_int8.tflite'), 'rb').read()
        elif os.environ.get('TFLC_REQUIRE_SHARED') == '1':
            print('FAIL: shared folder missing (TFLC_REQUIRE_SHARED=1)')
            return 1
        else:
            model = tiny_model()
        good = os.path.join(tmp, 'good.tflite')
        with open(good, 'wb') as f:
            f.write(model)
        r = run(tflc, 'inspect', good)
        if r.returncode != 0:
            print(f'FAIL: the unmodified model does not inspect: {r.stderr.strip()}')
            return 1

        rng = random.Random(1234)
        bad = {
            'empty.tflite': b'',
            'three_bytes.tflite': model[:3],
            'header_only.tflite': model[:8],
            'half.tflite': model[: len(model) // 2],
            'minus_one.tflite': model[:-1] if len(model) % 4 else model[:-4],
            'garbage.tflite': bytes(rng.randrange(256) for _ in range(5000)),
            'zeros.tflite': bytes(4096),
            'text.tflite': b'this is not a model\n' * 20,
            'badid.tflite': model[:4] + b'TFL2' + model[8:],
            'root_past_end.tflite': struct.pack('<I', len(model) + 64) + model[4:],
        }
        # Seeded structural corruptions that the verifier rejects (a 32-bit word set to -1).
        for k in range(40):
            p = rng.randrange(8, len(model) - 4) & ~3
            m = bytearray(model)
            m[p:p + 4] = b'\xff\xff\xff\xff'
            bad[f'word_{p}.tflite'] = bytes(m)
        paths = {}
        for name, content in bad.items():
            p = os.path.join(tmp, name)
            with open(p, 'wb') as f:
                f.write(content)
            paths[name] = p
        folder = os.path.join(tmp, 'a_folder.tflite')
        os.makedirs(folder)
        paths['a_folder.tflite'] = folder
        paths['missing.tflite'] = os.path.join(tmp, 'missing.tflite')

        checked = 0
        for name, p in sorted(paths.items()):
            if name.startswith('word_') and run(tflc, 'inspect', p).returncode == 0:
                continue  # that corruption hit data, not structure: still a valid model
            for args in (['inspect', p], ['inspect', '--json', p], ['convert', p, '-o', os.path.join(tmp, 'o.tflite')]):
                r = run(tflc, *args)
                checked += 1
                lines = r.stderr.splitlines()
                what = f'tflc {" ".join(args[:-1] if args[0] != "convert" else args[:1])} {name}'
                if r.returncode != 1:
                    fails.append(f'{what}: exit {r.returncode}, expected 1 (stderr {r.stderr.strip()[:200]!r})')
                elif len(lines) != 1 or not lines[0].startswith(f'tflc: error: {p}: ') or not r.stderr.endswith('\n'):
                    fails.append(f'{what}: stderr must be one line "tflc: error: {p}: ...", got {r.stderr[:300]!r}')
                elif r.stdout:
                    fails.append(f'{what}: printed to stdout on error: {r.stdout[:200]!r}')
                elif len(lines[0]) <= len(f'tflc: error: {p}: ') + 3:
                    fails.append(f'{what}: no explanation in {lines[0]!r}')
            if os.path.exists(os.path.join(tmp, 'o.tflite')):
                fails.append(f'tflc convert {name}: wrote an output')
                os.unlink(os.path.join(tmp, 'o.tflite'))

        # Seeded mutations through the whole CLI: exit 0 with valid JSON, or 1 with one error
        # line; anything else (a crash, a sanitizer report, a hang) fails.
        mut = os.path.join(tmp, 'mutant.tflite')
        for k in range(150):
            m = bytearray(model)
            kind = k % 3
            if kind == 0:
                for _ in range(rng.randrange(1, 4)):
                    m[rng.randrange(len(m))] ^= 1 << rng.randrange(8)
            elif kind == 1:
                p = rng.randrange(0, len(m) - 4) & ~3
                m[p:p + 4] = struct.pack('<I', rng.choice([0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, len(m), 0, 1]))
            else:
                p = rng.randrange(len(m))
                m[p:p + 8] = bytes(rng.randrange(256) for _ in range(8))[:len(m) - p]
            with open(mut, 'wb') as f:
                f.write(m)
            for args in (['inspect', mut], ['inspect', '--json', mut]):
                try:
                    r = subprocess.run([tflc, *args], capture_output=True, timeout=60)
                except subprocess.TimeoutExpired:
                    fails.append(f'mutant {k}: tflc {args[0]} hung')
                    continue
                checked += 1
                err = r.stderr.decode('utf-8', 'replace')
                if r.returncode == 0:
                    if args[1] == '--json':
                        try:
                            json.loads(r.stdout.decode('utf-8'))
                        except ValueError as e:
                            fails.append(f'mutant {k}: inspect --json printed invalid JSON ({e})')
                elif r.returncode != 1 or len(err.splitlines()) != 1 or not err.startswith(f'tflc: error: {mut}: '):
                    fails.append(f'mutant {k}: tflc {" ".join(args[:-1])}: exit {r.returncode}, stderr {err[:300]!r}')

        usage = [
            [], ['frobnicate'], ['inspect'], ['inspect', '--bogus', good], ['inspect', good, good],
            ['inspect', '--json'], ['convert'], ['convert', good], ['convert', good, '-o'],
            ['convert', '--frob', good, '-o', os.path.join(tmp, 'u.tflite')],
            ['convert', good, good, '-o', os.path.join(tmp, 'u.tflite')],
        ]
        for args in usage:
            r = run(tflc, *args)
            what = 'tflc ' + ' '.join(os.path.basename(a) for a in args)
            if r.returncode != 2:
                fails.append(f'{what}: exit {r.returncode}, expected 2 (bad usage)')
            elif args and not r.stderr.startswith('tflc: error: '):
                fails.append(f'{what}: stderr should start with "tflc: error: ", got {r.stderr[:200]!r}')
            elif not args and not r.stderr:
                fails.append(f'{what}: no usage text on stderr')
            checked += 1
        if os.path.exists(os.path.join(tmp, 'u.tflite')):
            fails.append('a bad-usage convert wrote an output')
        # tflc bench: bad values are usage errors; --runs / --min-secs are minimums (TFLite's
        # benchmark_model: num_runs and min_secs), so a tiny model times many runs in 0.3 s and
        # exactly the asked-for count with --min-secs 0; the JSON reports what ran.
        for args in (['bench', good, '--runs', '0'], ['bench', good, '--min-secs', '-1'],
                     ['bench', good, '--min-secs', 'x'], ['bench', good, '--warmup-min-secs', '200'],
                     ['bench', good, '--threads'], ['bench']):
            r = run(tflc, *args)
            if r.returncode != 2 or not r.stderr.startswith('tflc: error: '):
                fails.append(f'tflc {" ".join(os.path.basename(a) for a in args)}: exit {r.returncode}, expected 2')
            checked += 1
        for extra, check in ((['--runs', '3', '--min-secs', '0', '--warmup', '2', '--warmup-min-secs', '0'],
                              lambda j: j['runs'] == 3 and j['warmup'] == 2),
                             (['--runs', '3', '--min-secs', '0.3', '--warmup-min-secs', '0'],
                              lambda j: j['runs'] > 3)):
            r = run(tflc, 'bench', good, '--json', *extra)
            try:
                j = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
            except (ValueError, IndexError):
                j = None
            if not j or not check(j) or not (j['min_ms'] <= j['median_ms'] <= j['max_ms']):
                fails.append(f'tflc bench --json {" ".join(extra)}: exit {r.returncode}, got {r.stdout[-300:]!r}')
            checked += 1
        for args in (['--help'], ['inspect', '--help'], ['convert', '--help'], ['--version']):
            r = run(tflc, *args)
            if r.returncode != 0 or not r.stdout:
                fails.append(f'tflc {" ".join(args)}: exit {r.returncode}, expected 0 with text on stdout')
            checked += 1

    for f in fails:
        print('FAIL ' + f)
    print(f'{checked - len(fails)}/{checked} CLI error-style checks passed')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
