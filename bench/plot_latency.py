#!/usr/bin/env python3
"""Check latency against federation size, from `make bench` JSON output.

    build-bench/bench/toegang_bench --benchmark_out=run.json ...
    bench/plot_latency.py run.json [more.json ...] docs/check-latency.svg

Plots the median CPU time per check of the engine and of baselines (a) and
(b) on the mixed stream (50 % allowed, no facility) for each scale in the
files (an L run is usually a file of its own; the first file that has a
benchmark gives its figure), on log-log axes, as a plain SVG (no plotting
library needed).
"""
import json
import math
import sys

PERSONS = {"S": 1e4, "M": 1e6, "L": 1e7}
SERIES = [
    ("engine", "Check/engine/{}/mixed", "#1b6ca8"),
    ("baseline (a) hash map", "Check/baseline_a/{}/mixed", "#c47d00"),
    ("baseline (b) SQLite", "Check/baseline_b/{}/mixed", "#a33"),
]


def medians(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median" or "aggregate_name" not in b:
            name = b["run_name"] if "run_name" in b else b["name"]
            out.setdefault(name, b["cpu_time"])
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    m = {}
    for path in sys.argv[1:-1]:
        for name, ns in medians(path).items():
            m.setdefault(name, ns)
    scales = [s for s in ("S", "M", "L") if any(
        p.format(s) in m for _, p, _ in SERIES)]
    w, h, left, bottom, top, right = 560, 340, 70, 50, 20, 170
    xs = [math.log10(PERSONS[s]) for s in scales]
    x0, x1 = 3.5, 7.5
    y0, y1 = 1.0, 5.0  # 10 ns .. 100 us

    def px(x):
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def py(ns):
        v = math.log10(ns)
        return top + (y1 - v) / (y1 - y0) * (h - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" '
             f'height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{w}" height="{h}" fill="white"/>']
    for e in range(int(y0), int(y1) + 1):
        y = py(10 ** e)
        label = ["1 ns", "10 ns", "100 ns", "1 us", "10 us", "100 us"][e]
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{label}</text>')
    for s, x in zip(scales, xs):
        parts.append(f'<text x="{px(x):.1f}" y="{h - bottom + 16}" '
                     f'text-anchor="middle">{s} ({int(PERSONS[s]):,} '
                     f'persons)</text>')
    parts.append(f'<text x="{left}" y="{h - 12}">median CPU time per check, '
                 f'mixed stream (50 % allowed)</text>')
    for i, (label, pattern, colour) in enumerate(SERIES):
        pts = [(px(x), py(m[pattern.format(s)]))
               for s, x in zip(scales, xs) if pattern.format(s) in m]
        if len(pts) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            parts.append(f'<polyline points="{path}" fill="none" '
                         f'stroke="{colour}" stroke-width="2"/>')
        for a, b in pts:
            parts.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" '
                         f'fill="{colour}"/>')
        ly = top + 14 + 18 * i
        parts.append(f'<rect x="{w - right + 12}" y="{ly - 9}" width="12" '
                     f'height="4" fill="{colour}"/>')
        parts.append(f'<text x="{w - right + 30}" y="{ly - 3}">{label}</text>')
    parts.append("</svg>")
    with open(sys.argv[-1], "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
