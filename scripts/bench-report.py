#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/results.md and bench/listing-time.png from one `make bench` run.

    bench-report.py OUTDIR RUNDIR KERNEL=RELEASE...

RUNDIR holds what each kernel's guest printed (RUNDIR/NAME.txt, NAME one of the
KERNEL names). Every line a benchmark prints with a goal ("... (goal >= 20x: met)")
becomes a row of the table, beside the kernel, the CPU and the date; the per-ID cost
of the module's walks is set against native listns(2) from the sid run; the scaling
benchmark's points become the plot (gnuplot, log scale).
"""
import datetime
import os
import re
import subprocess
import sys

GOAL_LINE = re.compile(r"^\s+(?P<name>.+?)\s{2,}(?P<value>[-\d.]+)\s*(?P<unit>x|ms|B|/s|ns|us)?\s+\((?P<goal>goal[^:]*):\s*(?P<met>met|NOT met|not judged here)\)")
RESULT = re.compile(r"^RESULT (\S+) (\S+) (\S+)(?: (\S+))?$")
# The first line of each benchmark's output: "orphans: nstree orphans against ...".
SECTION = re.compile(r"^(open|handles|listns|cli|orphans|scaling|memory|create|watch-native|compat): (.*)$")


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def parse(path):
    rows, results, section = [], [], ""
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = SECTION.match(line)
        if m and not line.startswith(" "):
            section = m.group(1)
        m = GOAL_LINE.match(line)
        if m:
            rows.append((section, m.group("name").strip(), m.group("value") + (m.group("unit") or ""),
                         m.group("goal"), m.group("met")))
        m = RESULT.match(line)
        if m:
            results.append(m.groups())
    return rows, results


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    outdir, rundir = sys.argv[1], sys.argv[2]
    kernels = [a.split("=", 1) for a in sys.argv[3:]]
    os.makedirs(outdir, exist_ok=True)
    date = datetime.date.today().isoformat()
    md = ["# Benchmark results", "",
          f"`make bench` on {date}: one QEMU guest (TCG, 2 vCPUs on a 2-core host) per kernel, every",
          "figure next to a peer measured in the same guest run. Host CPU: " + cpu_model() + ".",
          "Absolute times under TCG vary from run to run and kernel to kernel (VARIANCE): read",
          "the ratios. Reproduce with `make bench` (`scripts/run-bench.sh`); each kernel's full",
          "output is in `build/bench/NAME.txt`.", "",
          "| kernel | benchmark | measure | result | goal | |", "|---|---|---|---|---|---|"]
    per_kernel = {}
    for name, release in kernels:
        path = os.path.join(rundir, name + ".txt")
        if not os.path.exists(path):
            continue
        rows, results = parse(path)
        per_kernel[name] = results
        for section, what, value, goal, met in rows:
            mark = {"met": "met", "NOT met": "**NOT met**", "not judged here": "not judged"}[met]
            md.append(f"| {name} ({release}) | {section} | {what} | {value} | {goal} | {mark} |")
    # How much the peer itself varied: lsns at the largest count, across kernels.
    lsns_top = [float(v) for res in per_kernel.values() for kind, key, n, v in res
                if kind == "scaling" and key == "lsns" and v is not None and int(n) > 9000]
    variance = (f"lsns took {min(lsns_top) / 1000:.1f} to {max(lsns_top) / 1000:.1f} s for 10,000 "
                "namespaces in this run's guests") if lsns_top else "see each kernel's output"
    md = [line.replace("VARIANCE", variance) for line in md]
    # The per-ID cost against native listns(2).
    native = {k: float(v) for kind, k, v, _ in per_kernel.get("sid", []) if kind == "native"}
    lines = []
    for name, _ in kernels:
        for kind, key, value, _ in per_kernel.get(name, []):
            if kind == "module" and key in native:
                ratio = float(value) / native[key]
                page = key.split("_")[3]
                procs = key.split("_")[4]
                goal_met = "met" if ratio <= 2 or page == "1" else "**NOT met**"
                lines.append(f"| {name} | {procs} processes, pages of {page} | {float(value):.0f} ns | "
                             f"{native[key]:.0f} ns | {ratio:.2f}x | {'<= 2x' if page != '1' else 'not judged'} "
                             f"{goal_met if page != '1' else ''} |")
    if lines:
        md += ["", "## Per-ID cost of a listing: the module's ioctl against native listns(2) (sid)", "",
               "| kernel | walk | module | native | ratio | goal |", "|---|---|---|---|---|---|"] + lines
    # The plot: listing time by namespace count.
    series = {}
    for name, _ in kernels:
        for kind, key, n, value in per_kernel.get(name, []):
            if kind != "scaling" or value is None:
                continue
            label = {"module_walk": f"module walk ({name})", "native_walk": f"native listns(2) ({name})",
                     "nstree_ls": f"nstree ls ({name})", "lsns": f"lsns ({name})"}[key]
            series.setdefault(label, []).append((int(n), float(value)))
    if series:
        dat = os.path.join(outdir, "listing-time.dat")
        with open(dat, "w") as f:
            for i, (label, pts) in enumerate(sorted(series.items())):
                f.write(f'"{label}"\n')
                for n, ms in sorted(pts):
                    f.write(f"{n} {ms}\n")
                f.write("\n\n")
        png = os.path.join(outdir, "listing-time.png")
        plot = ", ".join(f"'{dat}' index {i} using 1:2 with linespoints title columnheader(1)"
                         for i in range(len(series)))
        script = (f"set terminal pngcairo size 900,560 font ',10'\nset output '{png}'\n"
                  "set title 'Listing every namespace: time against namespace count (QEMU TCG guest)'\n"
                  "set xlabel 'namespaces'\nset ylabel 'ms (log scale)'\nset logscale y\n"
                  "set key outside right\nset grid\n" + f"plot {plot}\n")
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        md += ["", "## Listing time against namespace count", "",
               "![listing time against namespace count](listing-time.png)", "",
               "The module's walk and native listns(2) return every ID; `nstree ls` and lsns print",
               "the default table (the process table, command lines, owners). Data: `listing-time.dat`."]
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print(f"wrote {outdir}/results.md" + (" and listing-time.png" if series else ""))


if __name__ == "__main__":
    main()
