#!/usr/bin/python3
"""inspect_vs_flatc.py TFLC SHARED: `tflc inspect --json` against an independent reading of every
shared .tflite by Google's flatc (JSON with --defaults-json).

Compared per model: version, description, operator codes; per subgraph: inputs, outputs, tensor
count; per tensor: name, dtype, shape, shape_signature (null when absent), buffer index,
quantization (null when there are no scales; scales as float32 at flatc's 6-decimal precision and,
bit-exact, against a tiny struct-based reader; zero points; quantized_dimension); per operator:
op name (max(builtin_code, deprecated_builtin_code), "CUSTOM:<custom_code>" for custom ops),
version, inputs, outputs, and the builtin options object field by field.
Reports the first difference per model, then a summary; exit 1 if any model differs.
Missing ../shared or flatc: fail when TFLC_REQUIRE_SHARED=1, else skip (exit 77)."""
import json
import math
import os
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flatc_util as fu  # noqa: E402

MISSING = object()


class Diff(Exception):
    pass


def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def same_float(ours, theirs, path):
    """flatc prints floats in fixed notation with 6 decimals (trailing zeros trimmed)."""
    if ours is None or not isinstance(ours, (int, float)) or isinstance(ours, bool):
        raise Diff(f'{path}: tflc={ours!r} flatc={theirs!r} (expected a finite number)')
    if f32(float(ours)) != float(ours):
        raise Diff(f'{path}: tflc value {ours!r} is not a float32')
    if float('%.6f' % float(ours)) != float(theirs):
        raise Diff(f'{path}: tflc={ours!r} (= {"%.6f" % ours} at 6 decimals) flatc={theirs!r}')


def eq(ours, theirs, path):
    if isinstance(theirs, float) and not isinstance(ours, bool):
        same_float(ours, theirs, path)
    elif isinstance(ours, bool) or isinstance(theirs, bool):
        if ours is not theirs:
            raise Diff(f'{path}: tflc={ours!r} flatc={theirs!r}')
    elif ours != theirs:
        raise Diff(f'{path}: tflc={str(ours)[:160]} flatc={str(theirs)[:160]}')


def compare_value(ours, theirs, path, facts):
    if theirs is MISSING:
        if ours is not None:
            raise Diff(f'{path}: tflc={str(ours)[:160]} but flatc has no such field')
        return
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            raise Diff(f'{path}: tflc={ours!r} flatc={{...}}')
        compare_object(ours, theirs, path, facts, None)
    elif isinstance(theirs, list):
        if not isinstance(ours, list) or len(ours) != len(theirs):
            raise Diff(f'{path}: tflc={str(ours)[:160]} flatc={str(theirs)[:160]}')
        for i, (a, b) in enumerate(zip(ours, theirs)):
            compare_value(a, b, f'{path}[{i}]', facts)
    else:
        eq(ours, theirs, path)


def compare_object(ours, theirs, path, facts, table):
    """Field by field; flatc may add union `_type` fields and deprecated fields, nothing else."""
    deprecated = facts.deprecated.get(table, facts.any_deprecated) if table else facts.any_deprecated
    for k, v in ours.items():
        compare_value(v, theirs.get(k, MISSING), f'{path}.{k}', facts)
    for k in theirs:
        if k not in ours and not k.endswith('_type') and k not in deprecated:
            raise Diff(f'{path}.{k}: flatc has it ({str(theirs[k])[:80]}), tflc does not')


def opcode_labels(fj, facts):
    out = []
    for oc in fj.get('operator_codes', []):
        code = max(facts.code_of(oc.get('builtin_code', 0)), oc.get('deprecated_builtin_code', 0))
        out.append((facts.label(code, oc.get('custom_code')), code, oc.get('version', 1)))
    return out


def compare_model(path, ours, fj, facts, raw):
    eq(ours['version'], fj.get('version', 0), 'version')
    eq(ours['description'], fj.get('description'), 'description')
    labels = opcode_labels(fj, facts)
    if len(ours['operator_codes']) != len(labels):
        raise Diff(f'operator_codes: {len(ours["operator_codes"])} vs flatc {len(labels)}')
    for i, (oc, (label, code, ver)) in enumerate(zip(ours['operator_codes'], labels)):
        eq(oc['op'], label, f'operator_codes[{i}].op')
        eq(oc['builtin_code'], code, f'operator_codes[{i}].builtin_code')
        eq(oc['version'], ver, f'operator_codes[{i}].version')
    fsgs = fj.get('subgraphs', [])
    if len(ours['subgraphs']) != len(fsgs):
        raise Diff(f'subgraph count: tflc {len(ours["subgraphs"])} flatc {len(fsgs)}')
    raw_sgs = fu.model_root(raw).tables(fu.MODEL_SUBGRAPHS)
    for s, (sg, fsg) in enumerate(zip(ours['subgraphs'], fsgs)):
        p = f'subgraphs[{s}]'
        eq(sg['inputs'], fsg.get('inputs', []), f'{p}.inputs')
        eq(sg['outputs'], fsg.get('outputs', []), f'{p}.outputs')
        fts = fsg.get('tensors', [])
        if len(sg['tensors']) != len(fts):
            raise Diff(f'{p}: {len(sg["tensors"])} tensors, flatc {len(fts)}')
        raw_ts = raw_sgs[s].tables(fu.SUBGRAPH_TENSORS)
        for i, (t, ft) in enumerate(zip(sg['tensors'], fts)):
            tp = f'{p}.tensors[{i}]'
            eq(t['name'], ft.get('name', ''), f'{tp}.name')
            eq(t['dtype'], ft.get('type', 'FLOAT32'), f'{tp}.dtype')
            eq(t['shape'], ft.get('shape', []), f'{tp}.shape')
            eq(t['shape_signature'], ft.get('shape_signature'), f'{tp}.shape_signature')
            eq(t['buffer'], ft.get('buffer', 0), f'{tp}.buffer')
            fq = ft.get('quantization')
            fscale = fq.get('scale', []) if fq else []
            q = t['quantization']
            if not fscale:
                if q is not None:
                    raise Diff(f'{tp}.quantization: tflc={q} but flatc has no scales')
                continue
            if q is None:
                raise Diff(f'{tp}.quantization: tflc=null flatc={str(fq)[:120]}')
            if len(q['scale']) != len(fscale):
                raise Diff(f'{tp}.quantization.scale: {len(q["scale"])} vs flatc {len(fscale)} values')
            for k, (a, b) in enumerate(zip(q['scale'], fscale)):
                same_float(a, b, f'{tp}.quantization.scale[{k}]')
            rq = raw_ts[i].table(fu.TENSOR_QUANTIZATION)
            exact = rq.f32s(fu.QUANT_SCALE) if rq else []
            for k, (a, b) in enumerate(zip(q['scale'], exact)):
                if float(a) != b and not (math.isnan(b) and a is None):
                    raise Diff(f'{tp}.quantization.scale[{k}]: tflc={a!r} file holds {b!r} (bit-exact check)')
            eq(q['zero_point'], fq.get('zero_point', []), f'{tp}.quantization.zero_point')
            eq(q['quantized_dimension'], fq.get('quantized_dimension', 0), f'{tp}.quantization.quantized_dimension')
        fops = fsg.get('operators', [])
        if len(sg['operators']) != len(fops):
            raise Diff(f'{p}: {len(sg["operators"])} operators, flatc {len(fops)}')
        for i, (op, fop) in enumerate(zip(sg['operators'], fops)):
            op_path = f'{p}.operators[{i}]'
            oi = fop.get('opcode_index', 0)
            label, _, ver = labels[oi]
            eq(op['op'], label, f'{op_path}.op')
            eq(op['version'], ver, f'{op_path}.version')
            eq(op['inputs'], fop.get('inputs', []), f'{op_path}.inputs')
            eq(op['outputs'], fop.get('outputs', []), f'{op_path}.outputs')
            ftype = fop.get('builtin_options_type', 'NONE')
            eq(op['options_type'] or 'NONE', ftype, f'{op_path}.options_type')
            fopts = fop.get('builtin_options', MISSING)
            if op['options'] is None or fopts is MISSING:
                if not (op['options'] is None and fopts is MISSING):
                    raise Diff(f'{op_path}.options: tflc={str(op["options"])[:120]} flatc={"absent" if fopts is MISSING else str(fopts)[:120]}')
                continue
            compare_object(op['options'], fopts, f'{op_path}.options', facts, ftype)


def main():
    if len(sys.argv) != 3:
        print('usage: inspect_vs_flatc.py TFLC SHARED')
        return 2
    tflc = fu.tflc_binary(sys.argv[1])
    shared = sys.argv[2]
    models = fu.shared_models(shared)
    flatc = fu.find_flatc()
    with fu.temp_dir('tflc-inspect-') as tmp:
        return run(tflc, shared, models, flatc, tmp)


def run(tflc, shared, models, flatc, tmp):
    schema = fu.flatc_schema(shared, tmp)
    facts = fu.SchemaFacts(schema)
    bad = []
    for m in models:
        name = os.path.relpath(m, shared)
        r = subprocess.run([tflc, 'inspect', '--json', m], capture_output=True, text=True)
        if r.returncode != 0:
            bad.append(name)
            print(f'FAIL {name}: tflc inspect --json exited {r.returncode}: {r.stderr.strip()[:300]}')
            continue
        try:
            ours = json.loads(r.stdout)
        except ValueError as e:
            bad.append(name)
            print(f'FAIL {name}: tflc printed invalid JSON: {e}')
            continue
        try:
            fj = json.loads(fu.flatc_json_text(flatc, schema, m, os.path.join(tmp, 'json'), remove=True))
        except (RuntimeError, ValueError) as e:
            bad.append(name)
            print(f'FAIL {name}: {e}')
            continue
        raw = open(m, 'rb').read()
        try:
            compare_model(m, ours, fj, facts, raw)
        except Diff as e:
            bad.append(name)
            print(f'FAIL {name}: {e}')
            continue
        nops = sum(len(s['operators']) for s in ours['subgraphs'])
        nts = sum(len(s['tensors']) for s in ours['subgraphs'])
        print(f'ok   {name}: {len(ours["subgraphs"])} subgraph(s), {nts} tensors, {nops} operators')
    print(f'inspect --json agrees with flatc on {len(models) - len(bad)}/{len(models)} models')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
