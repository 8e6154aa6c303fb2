#!/usr/bin/env python3
"""Warden's benchmark suite: runs the sections, appends every measurement to OUT/results.jsonl,
writes OUT/report.md and prints it. See bench/README.md.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
import daemon  # noqa: E402
import detection  # noqa: E402
import fleet  # noqa: E402
import latency  # noqa: E402
import micro  # noqa: E402
import replay  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
import startup  # noqa: E402

SECTIONS = ["startup", "detection", "latency", "daemon", "replay", "scale", "fleet", "micro"]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("sections", nargs="*", help="any of %s (default: all)" % ", ".join(SECTIONS))
    ap.add_argument("--reps", type=int, default=3, help="repetitions per measurement (medians are reported)")
    ap.add_argument("--out", default=None, help="results directory (default /tmp/warden-bench/results-TIMESTAMP)")
    ap.add_argument("--only", default=None, help="detection: comma-separated cases (sshd,sshd-iso,nginx-botsearch,...)")
    ap.add_argument("--no-peers", action="store_true", help="measure Warden only")
    ap.add_argument("--metrics", action="store_true", help="scale: each size also with [web] /metrics on (its RSS cost)")
    ap.add_argument("--scale-sizes", default="100000,1000000", help="scale: ban counts")
    ap.add_argument("--steady-seconds", type=int, default=60, help="daemon: length of the 1,000 lines/s run")
    ap.add_argument("--report", default=None, help="only print the report of an existing results.jsonl")
    ap.add_argument("--quick", action="store_true",
                    help="about 10 minutes: 1 repetition, sshd log only, 10,000 bans, 10 s steady run")
    a = ap.parse_args()
    if a.quick:
        a.reps, a.only, a.scale_sizes, a.steady_seconds = 1, a.only or "sshd", "10000", 10
    if a.report:
        print(report.render(a.report))
        return
    sections = a.sections or SECTIONS
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        common.die("unknown section(s) %s; choose from %s" % (", ".join(unknown), ", ".join(SECTIONS)))
    out = a.out or os.path.join("/tmp/warden-bench", time.strftime("results-%Y%m%d-%H%M%S"))
    results = common.Results(out)
    common.log("results: %s" % results.path)
    for section in sections:
        common.log("== %s" % section)
        if section == "startup":
            startup.run(results)
        elif section == "detection":
            detection.run(results, a.reps, only=a.only.split(",") if a.only else None, skip_peers=a.no_peers)
        elif section == "latency":
            latency.run(results, a.reps, skip_peers=a.no_peers)
        elif section == "daemon":
            daemon.run(results, a.reps, skip_peers=a.no_peers, steady_seconds=a.steady_seconds)
        elif section == "scale":
            scale.run(results, a.reps, sizes=[int(x) for x in a.scale_sizes.split(",")], metrics=a.metrics)
        elif section == "replay":
            replay.run(results, a.reps, skip_peers=a.no_peers)
        elif section == "fleet":
            fleet.run(results, a.reps)
        elif section == "micro":
            common.ensure_logs()
            micro.run(results, out)
    text = report.render(results.path)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    common.log("report: %s" % os.path.join(out, "report.md"))


if __name__ == "__main__":
    main()
