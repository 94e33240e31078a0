#!/usr/bin/python3
"""check_case.py CASE_DIR OPS_DEF
Judges one case of run_cases.sh after it ran (one Python start per case) and prints one line:
  - CASE/tflc and CASE/google (outputs of `tflc run` and of Google's TFLite) against the
    reference CASE/out*.npy with tests/tools/compare_outputs.py at 1e-5 relative; a missing
    directory means that run failed (its log, CASE/run.log or CASE/wrun.log, says why);
  - the operators of CASE/model.tflite (CASE/inspect.json) against meta.json's google_ops: no
    more operators, no op type outside the list ("A|B": either); skipped while
    src/base/ops.def (OPS_DEF) lacks one of meta.json's runtime_ops."""
import contextlib
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import compare_outputs  # noqa: E402


def compare(got, ref):
    """(ok, worst maxdiff, text) of compare_outputs.py GOT REF float 1e-5."""
    argv, sys.argv = sys.argv, ["compare_outputs.py", got, ref, "float", "1e-5"]
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            rc = compare_outputs.main()
    finally:
        sys.argv = argv
    text = buf.getvalue()
    diffs = [float(d) for d in re.findall(r"maxdiff (\S+)", text)]
    bad = " ".join(l for l in text.splitlines() if " ok " not in l)
    return rc == 0, (max(diffs) if diffs else None), bad


def last_line(path, pattern=None):
    try:
        lines = [l for l in open(path, errors="replace").read().splitlines() if l.strip()]
    except OSError:
        return "?"
    if pattern:
        hits = [l for l in lines if re.search(pattern, l, re.I)]
        lines = hits or lines
    return (lines[0] if pattern else lines[-1])[:200] if lines else "?"


def main():
    case, opsdef = sys.argv[1], sys.argv[2]
    name = os.path.basename(case.rstrip("/"))
    meta = json.load(open(os.path.join(case, "meta.json")))
    msgs = []
    diffs = {}
    for who, log, pat in (("tflc", "run.log", None), ("google", "wrun.log", "fail|error")):
        d = os.path.join(case, who)
        if not os.path.isdir(d):
            msgs.append(f"{who} run: {last_line(os.path.join(case, log), pat)}")
            continue
        ok, md, text = compare(d, case)
        diffs[who] = md
        if not ok:
            msgs.append(f"{who} vs reference: {text[:200]}")
    ops = [o["op"] for o in json.load(open(os.path.join(case, "inspect.json")))["subgraphs"][0]["operators"]]
    note = ""
    have = set(re.findall(r"^TFLC_OP\((\w+),", open(opsdef).read(), re.M))
    missing = [o for o in meta.get("runtime_ops", []) if o not in have]
    g = meta.get("google_ops")
    if missing:
        note = f" [op check waits for {','.join(missing)} in tflc's runtime]"
    elif g is not None:
        if len(ops) > len(g):
            msgs.append(f"ops: {len(ops)}, Google's converter emits {len(g)}")
        extra = sorted(set(ops) - {a for e in g for a in e.split("|")})
        if extra:
            msgs.append("op types Google's converter does not emit: " + ",".join(extra))
    fmt = lambda v: "?" if v is None else f"{v:.3g}"
    if msgs:
        print(f"FAIL {name}: {'; '.join(msgs)} [ops: {' '.join(ops)}]"[:600])
        return
    line = f"ok   {name} (maxdiff tflc {fmt(diffs.get('tflc'))} google {fmt(diffs.get('google'))}; {len(ops)} ops: {' '.join(ops)})"
    if len(line) > 240:
        line = line[:236] + " ...)"
    print(line + note)


if __name__ == "__main__":
    main()
