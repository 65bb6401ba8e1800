#!/usr/bin/env python3
"""Table (markdown) and log-log plot (SVG, written by hand: no plotting library) of `lccge bench --json` results.

Usage: scripts/bench_report.py LADDER.jsonl [--env ladder.env] [--markdown OUT.md] [--svg OUT.svg]
Used by scripts/bench_ladder.sh; standard library only.
"""
import argparse
import json
import math
import sys

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def fmt_seconds(v):
    if v is None:
        return ""
    if v >= 100:
        return "%.0f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3g" % v


def markdown(rows, env):
    out = []
    if env:
        out.append("Run: " + ", ".join("%s %s" % (k, v) for k, v in env.items() if k != "command"))
        out.append("")
        if "command" in env:
            out.append("Command: `%s`" % env["command"])
            out.append("")
    out.append("| size | solver | status | unknowns | nonzeros | build s | solve s | evaluation s | linear algebra s "
               "| iterations | evaluations | max \\|F\\| | peak MB | build/solve | solve / newton-lu |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    reference = {}
    for r in rows:
        if r.get("solver") == "newton-lu" and r.get("status") == "converged":
            reference[(r.get("regions"), r.get("sectors"))] = r.get("solve_seconds")
    for r in rows:
        size = "%sx%s" % (r.get("regions"), r.get("sectors"))
        solve = r.get("solve_seconds")
        build = r.get("build_seconds")
        ref = reference.get((r.get("regions"), r.get("sectors")))
        ratio = "%.2f" % (solve / ref) if solve and ref else ""
        share = "%.1f %%" % (100.0 * build / solve) if build is not None and solve else ""
        mem = r.get("peak_memory_bytes")
        maxf = r.get("max_residual")
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            size, r.get("solver", ""), r.get("status", ""), r.get("unknowns", ""), r.get("nonzeros", ""),
            fmt_seconds(build), fmt_seconds(solve), fmt_seconds(r.get("evaluation_seconds")),
            fmt_seconds(r.get("linear_solver_seconds")), r.get("iterations", ""), r.get("evaluations", ""),
            "%.1e" % maxf if isinstance(maxf, (int, float)) else "", "%.0f" % (mem / 2**20) if mem else "", share,
            ratio))
    return "\n".join(out) + "\n"


class Panel:
    """One log-log panel of the SVG."""

    def __init__(self, x0, y0, w, h, title, xlabel, ylabel):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.series = []  # (name, colour, [(x, y)])

    def add(self, name, colour, points):
        points = [(x, y) for x, y in points if x and y and x > 0 and y > 0]
        if points:
            self.series.append((name, colour, sorted(points)))

    def svg(self, reference_slopes=()):
        parts = []
        xs = [p[0] for _, _, pts in self.series for p in pts]
        ys = [p[1] for _, _, pts in self.series for p in pts]
        if not xs:
            return ""
        lx0, lx1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
        ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
        if lx1 == lx0:
            lx1 += 1
        if ly1 == ly0:
            ly1 += 1
        ml, mb, mt, mr = 62, 42, 26, 12
        pw, ph = self.w - ml - mr, self.h - mb - mt

        def px(x):
            return self.x0 + ml + (math.log10(x) - lx0) / (lx1 - lx0) * pw

        def py(y):
            return self.y0 + mt + ph - (math.log10(y) - ly0) / (ly1 - ly0) * ph

        parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#444"/>' %
                     (self.x0 + ml, self.y0 + mt, pw, ph))
        for e in range(lx0, lx1 + 1):
            x = px(10 ** e)
            parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (x, self.y0 + mt, x, self.y0 + mt + ph))
            parts.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle">1e%d</text>' %
                         (x, self.y0 + mt + ph + 15, e))
        for e in range(ly0, ly1 + 1):
            y = py(10 ** e)
            parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (self.x0 + ml, y, self.x0 + ml + pw, y))
            parts.append('<text x="%.1f" y="%.1f" font-size="11" text-anchor="end">1e%d</text>' %
                         (self.x0 + ml - 5, y + 4, e))
        parts.append('<text x="%.1f" y="%.1f" font-size="13" text-anchor="middle" font-weight="bold">%s</text>' %
                     (self.x0 + ml + pw / 2, self.y0 + 16, self.title))
        parts.append('<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle">%s</text>' %
                     (self.x0 + ml + pw / 2, self.y0 + self.h - 6, self.xlabel))
        parts.append('<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s</text>' %
                     (self.x0 + 14, self.y0 + mt + ph / 2, self.x0 + 14, self.y0 + mt + ph / 2, self.ylabel))
        # Reference slopes through the first point of the first series (e.g. nnz^1 and nnz^1.5).
        if reference_slopes and self.series:
            xa, ya = self.series[0][2][0]
            xb = 10 ** lx1
            for slope in reference_slopes:
                yb = ya * (xb / xa) ** slope
                if yb > 10 ** ly1:
                    xb2 = xa * (10 ** ly1 / ya) ** (1.0 / slope)
                    xb_, yb_ = xb2, 10 ** ly1
                else:
                    xb_, yb_ = xb, yb
                parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>' %
                             (px(xa), py(ya), px(xb_), py(yb_)))
                parts.append('<text x="%.1f" y="%.1f" font-size="10" fill="#777">slope %g</text>' %
                             (px(xb_) - 48, py(yb_) + 12, slope))
        for name, colour, pts in self.series:
            path = " ".join("%s%.1f,%.1f" % ("M" if i == 0 else "L", px(x), py(y)) for i, (x, y) in enumerate(pts))
            parts.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.5"/>' % (path, colour))
            for x, y in pts:
                parts.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (px(x), py(y), colour))
        return "\n".join(parts)


def svg(rows):
    solvers = []
    for r in rows:
        if r.get("solver") not in solvers:
            solvers.append(r.get("solver"))
    w, h = 480, 330
    panels = [
        Panel(0, 0, w, h, "solve time vs unknowns", "unknowns", "seconds"),
        Panel(w, 0, w, h, "solve time vs Jacobian nonzeros", "nonzeros", "seconds"),
        Panel(0, h, w, h, "peak memory vs unknowns", "unknowns", "MB"),
        Panel(w, h, w, h, "peak memory vs Jacobian nonzeros", "nonzeros", "MB"),
    ]
    for i, solver in enumerate(solvers):
        colour = COLOURS[i % len(COLOURS)]
        ok = [r for r in rows if r.get("solver") == solver and r.get("status") == "converged"]
        panels[0].add(solver, colour, [(r.get("unknowns"), r.get("solve_seconds")) for r in ok])
        panels[1].add(solver, colour, [(r.get("nonzeros"), r.get("solve_seconds")) for r in ok])
        panels[2].add(solver, colour, [(r.get("unknowns"), (r.get("peak_memory_bytes") or 0) / 2**20) for r in ok])
        panels[3].add(solver, colour, [(r.get("nonzeros"), (r.get("peak_memory_bytes") or 0) / 2**20) for r in ok])
    legend_h = 22 * ((len(solvers) + 3) // 4) + 10
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">' %
             (2 * w, 2 * h + legend_h), '<rect width="100%" height="100%" fill="white"/>']
    parts.append(panels[0].svg())
    parts.append(panels[1].svg(reference_slopes=(1.0, 1.5)))
    parts.append(panels[2].svg())
    parts.append(panels[3].svg())
    for i, solver in enumerate(solvers):
        x = 70 + (i % 4) * 220
        y = 2 * h + 18 + 22 * (i // 4)
        colour = COLOURS[i % len(COLOURS)]
        parts.append('<circle cx="%d" cy="%d" r="5" fill="%s"/>' % (x, y - 4, colour))
        parts.append('<text x="%d" y="%d" font-size="12">%s</text>' % (x + 10, y, solver))
    parts.append("</svg>")
    return "\n".join(p for p in parts if p) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("--env", help="key=value lines describing the run (bench_ladder.sh writes them)")
    ap.add_argument("--markdown")
    ap.add_argument("--svg")
    args = ap.parse_args()
    rows = load(args.jsonl)
    env = {}
    if args.env:
        with open(args.env) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    table = markdown(rows, env)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    else:
        sys.stdout.write(table)
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg(rows))


if __name__ == "__main__":
    main()
