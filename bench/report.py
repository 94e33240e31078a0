#!/usr/bin/env python3
"""Prints bench/run.sh's tables from the JSON it left in RESULTS_DIR (standard library only).

  python3 bench/report.py build/bench/results

Model table: per model, dtype and thread count, tflc's and XNNPACK's median latency, their
ratio (tflc / XNNPACK: 1.0 = as fast, below 1 = faster), the model's GFLOP and each runtime's
GFLOP/s, XNNPACK's output check against tflc run, and the load average around the measurement.
Per-layer-type table: tflc's per-op-type profile (tflc bench) with GFLOP/s and % of peak.
"""
import glob
import json
import os
import sys

TARGETS = {('mobilenet_v2', 'f32'): 1.0, ('mobilenet_v2', 'int8'): 0.6}  # tflc / XNNPACK, the issue's goal


def load_json(path):
    try:
        with open(path) as f:
            return json.loads(f.read() or 'null')
    except (OSError, ValueError):
        return None


def fmt(v, spec, none='-'):
    return none if v is None else format(v, spec)


def main():
    rdir = sys.argv[1] if len(sys.argv) > 1 else 'build/bench/results'
    rows = []
    for tj in sorted(glob.glob(os.path.join(rdir, '*.t*.tflc.json'))):
        stem = os.path.basename(tj)[:-len('.tflc.json')]           # mobilenet_v2_int8.t1
        name, t = stem.rsplit('.t', 1)
        model, dtype = name.rsplit('_', 1)
        tflc = load_json(tj)
        xnn = load_json(os.path.join(rdir, stem + '.xnn.json'))
        try:
            with open(os.path.join(rdir, stem + '.load')) as f:
                loads = f.read().split()
        except OSError:
            loads = []
        rows.append(dict(model=model, dtype=dtype, threads=int(t), tflc=tflc, xnn=xnn, load='/'.join(loads)))
    order = ['mobilenet_v1', 'mobilenet_v2', 'resnet18', 'resnet50', 'ds_cnn', 'lstm']
    rows.sort(key=lambda r: (order.index(r['model']) if r['model'] in order else 99, r['model'],
                             r['dtype'] != 'f32', r['threads']))

    print('Latency (median of the timed runs, ms). ratio = tflc / XNNPACK (target: MobileNetV2 fp32 <= 1.0, '
          'int8 <= 0.6).')
    print('check = XNNPACK output 0 vs tflc run on the same input: max abs diff [in LSB, elements differing / all for int8],')
    print('        top-1 agreement (int8: up to a 1-LSB tie).')
    print('min = fastest timed run. GF/s = the model\'s GFLOP / median time.')
    print('load = 1-minute load average before / after the measurement (2 cores).')
    hdr = (f"{'model':<13} {'dtype':<5} {'thr':>3} {'tflc ms':>10} {'XNNPACK ms':>11} {'ratio':>8} {'target':>6} "
           f"{'tflc min':>10} {'XNN min':>9} {'GFLOP':>7} {'tflc GF/s':>9} {'XNN GF/s':>9} {'check':<34} {'load':<10}")
    print(hdr)
    print('-' * len(hdr))
    for r in rows:
        tf, xn = r['tflc'] or {}, r['xnn'] or {}
        t_ms = tf.get('median_ms')
        gflop = (tf.get('flops') or 0) / 1e9
        if xn.get('na') is not None:
            x_ms, x_min, ratio, check = None, None, 'n/a', 'n/a (op not in XNNPACK)'
        else:
            x_ms, x_min = xn.get('median_ms'), xn.get('min_ms')
            ratio = fmt(t_ms / x_ms if t_ms and x_ms else None, '.2f')
            if 'max_abs_diff' in xn:
                d = xn['max_abs_diff']
                check = (f"{d:.1e}" if d else '0') + (f" [{xn['max_lsb_diff']} LSB]" if 'max_lsb_diff' in xn else '')
                if xn.get('elements_differing') and 'max_lsb_diff' in xn:
                    check += f" {xn['elements_differing']}/{xn['elements']}"
                check += ', top-1 ' + ('ok' if xn.get('top1_match') else 'DIFFERS')
            else:
                check = 'not compared'
        target = TARGETS.get((r['model'], r['dtype']))
        print(f"{r['model']:<13} {r['dtype']:<5} {r['threads']:>3} {fmt(t_ms, '10.2f')} {fmt(x_ms, '11.3f', 'n/a'):>11} "
              f"{ratio:>8} {fmt(target, '6.1f', ''):>6} {fmt(tf.get('min_ms'), '10.2f')} {fmt(x_min, '9.3f'):>9} {gflop:7.3f} "
              f"{fmt(gflop / t_ms * 1e3 if t_ms else None, '9.2f')} "
              f"{fmt(gflop / x_ms * 1e3 if x_ms else None, '9.2f'):>9} {check:<34} {r['load']:<10}")
    fb = sorted({(r['model'], r['dtype'], (r['xnn'] or {}).get('fallback')) for r in rows
                 if (r['xnn'] or {}).get('fallback')})
    if fb:
        print('\nOps XNNPACK (2022-02) has no node for, run in C between XNNPACK partitions (as TFLite runs them):')
        for m, d, f in fb:
            print(f'  {m} {d}: {f}')
    nas = sorted({(r['model'], r['dtype'], r['xnn']['na']) for r in rows if (r['xnn'] or {}).get('na')})
    for m, d, why in nas:
        print(f'  n/a {m} {d}: {why.split(" (XNNPACK")[0]}')

    one = [r for r in rows if r['threads'] == min(x['threads'] for x in rows)]
    if not one:
        return
    t1 = one[0]['threads']
    tf0 = one[0]['tflc'] or {}
    print(f"\ntflc per layer type, {t1} thread(s) (tflc bench's instrumented runs; GFLOP/s = FLOPs / time; "
          f"% peak of {tf0.get('peak_gflops_per_core_fp32')} GFLOP/s fp32 | {tf0.get('peak_gops_per_core_int8')} "
          f"GOP/s int8 per core x {tf0.get('peak_cores')})")
    hdr = f"{'model':<13} {'op':<29} {'dtype':<5} {'count':>5} {'ms':>10} {'share':>6} {'GFLOP':>8} {'GFLOP/s':>8} {'% peak':>7}"
    print(hdr)
    print('-' * len(hdr))
    agg = {}
    for r in one:
        tf = r['tflc'] or {}
        ops = tf.get('ops') or []
        total = sum(o['ms'] for o in ops) or 1
        for o in sorted(ops, key=lambda o: -o['ms']):
            pk = o.get('peak_pct')
            print(f"{r['model']:<13} {o['op']:<29} {o['dtype']:<5} {o['count']:>5} {o['ms']:10.3f} "
                  f"{100 * o['ms'] / total:5.1f}% {o['flops'] / 1e9:8.4f} {o['gflops_per_s']:8.2f} "
                  f"{fmt(pk, '6.2f') + ('%' if pk is not None else ''):>7}")
            a = agg.setdefault((o['op'], o['dtype']), [0, 0.0, 0.0, None])
            a[0] += o['count']
            a[1] += o['ms']
            a[2] += o['flops']
            if pk is not None and o['gflops_per_s'] > 0:
                a[3] = o['gflops_per_s'] / pk * 100   # the peak this op type is measured against
        print()
    print(f'All models together, per layer type ({t1} thread(s)):')
    hdr = f"{'op':<29} {'dtype':<5} {'count':>5} {'ms':>10} {'GFLOP':>8} {'GFLOP/s':>8} {'% peak':>7}"
    print(hdr)
    print('-' * len(hdr))
    for (op, dt), (cnt, ms, fl, peak) in sorted(agg.items(), key=lambda kv: -kv[1][1]):
        gfs = fl / (ms * 1e6) if ms > 0 else 0
        pk = f'{100 * gfs / peak:6.2f}%' if peak else '-'
        print(f'{op:<29} {dt:<5} {cnt:>5} {ms:10.3f} {fl / 1e9:8.4f} {gfs:8.2f} {pk:>7}')


if __name__ == '__main__':
    main()
