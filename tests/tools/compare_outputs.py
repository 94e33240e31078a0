#!/usr/bin/python3
"""compare_outputs.py GOT_DIR REF_DIR [float R] [int N F]
float R -> every float output: max|got-ref| <= R * (1 + max|ref|), finite where the reference is
           (default R = 1e-5);
int N F -> every integer output: max |got-ref| <= N and a fraction >= F exactly equal
           (default N = 0, F = 1: exact).
Compares out<i>.npy by index; shapes must hold the same number of elements and dtypes must
match. Prints one line per output and a verdict; exit 0 only when every output passes.
compare_outputs.py --batch FILE: each line of FILE is "GOT_DIR REF_DIR [tolerances]"; prints
"PASS GOT_DIR" or "FAIL GOT_DIR: <the failing lines>" per line (one interpreter for many cases);
exit 0 only when every line passes."""
import glob
import os
import sys

import numpy as np


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        return batch(sys.argv[2])
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    return compare(sys.argv[1], sys.argv[2], sys.argv[3:], print)


def batch(listfile):
    bad = 0
    with open(listfile) as f:
        for line in f:
            w = line.split()
            if len(w) < 2:
                continue
            out = []
            try:
                rc = compare(w[0], w[1], w[2:], lambda *a: out.append(" ".join(map(str, a))))
            except Exception as e:  # an unreadable file is a failure of that case only
                rc = 1
                out.append(f"error: {e}")
            if rc == 0:
                print("PASS", w[0])
            else:
                bad += 1
                print("FAIL", w[0] + ":", " | ".join(l for l in out if "ok " not in l))
    return 1 if bad else 0


def compare(got, ref, spec, print):
    tok = " ".join(spec).split()
    ftol, itol, iexact = 1e-5, 0, 1.0
    i = 0
    while i < len(tok):
        if tok[i] == "float":
            ftol = float(tok[i + 1]); i += 2
        elif tok[i] == "int":
            itol = int(tok[i + 1]); iexact = float(tok[i + 2]) if i + 2 < len(tok) and tok[i + 2] not in ("float", "int") else 1.0
            i += 3 if i + 2 < len(tok) and tok[i + 2] not in ("float", "int") else 2
        else:
            print("bad tolerance spec:", tok[i]); return 2
    refs = sorted(glob.glob(os.path.join(ref, "out*.npy")))
    if not refs:
        print("no reference outputs in", ref)
        return 1
    ok = True
    for r in refs:
        name = os.path.basename(r)
        g = os.path.join(got, name)
        if not os.path.exists(g):
            print(f"{name}: missing")
            return 1
        R, G = np.load(r), np.load(g)
        if R.size != G.size:
            print(f"{name}: {G.shape} vs reference {R.shape}")
            return 1
        G = G.reshape(R.shape)
        if R.dtype != G.dtype:
            print(f"{name}: dtype {G.dtype} vs reference {R.dtype}")
            return 1
        if R.dtype.kind == "f":
            rt = ftol
            d = float(np.max(np.abs(G.astype(np.float64) - R.astype(np.float64)))) if R.size else 0.0
            lim = rt * (1 + (float(np.max(np.abs(R.astype(np.float64)))) if R.size else 0.0))
            good = bool(np.isfinite(G).all() == np.isfinite(R).all()) and d <= lim
            print(f"{name}: {'ok ' if good else 'BAD'} float maxdiff {d:.3g} (limit {lim:.3g})")
        else:
            n, f = itol, iexact
            diff = np.abs(G.astype(np.int64) - R.astype(np.int64))
            mx = int(diff.max()) if R.size else 0
            exact = float((diff == 0).mean()) if R.size else 1.0
            good = mx <= n and exact >= f
            print(f"{name}: {'ok ' if good else 'BAD'} int maxdiff {mx} exact {exact:.4f} (limit {n}, {f})")
        ok = ok and good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
