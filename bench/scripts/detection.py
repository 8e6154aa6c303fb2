"""Detection throughput: `warden test` against `fail2ban-regex --no-check-all` and `sshg-parser` on
the same 1,000,000-line logs, in one run, repetitions interleaved (A1 B1 C1 A2 B2 ...).

Each job is timed with its process start (wall clock around the whole command) and /usr/bin/time
(CPU, peak RSS). Warden runs each stock filter from /etc/fail2ban/filter.d (the same file
fail2ban-regex reads) and, where Warden ships one, its own filter of that name; the failure
counts of the stock runs must equal fail2ban-regex's, and a mismatch is reported as an error.
"""
import os
import re
import tempfile

import common

# (job, log, filter spec for the stock file (NAME[opts]), Warden ships a filter of that name)
CASES = [
    ("sshd", "auth.log", "sshd", True),
    ("sshd-iso", "auth-iso.log", "sshd", True),
    ("nginx-botsearch", "access.log", "nginx-botsearch", True),
    ("nginx-bad-request", "access.log", "nginx-bad-request", False),
    ("postfix-sasl", "mail.log", "postfix[mode=auth]", True),
    ("dovecot", "mail.log", "dovecot", True),
]

# sshguard's parser reads any of these logs (it has its own grammar, no filter to choose).
SSHG_CASES = [("sshd", "auth.log"), ("sshd-iso", "auth-iso.log"), ("nginx", "access.log"), ("mail", "mail.log")]

LINES_RE = re.compile(r"^Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed", re.M)
FAILREGEX_RE = re.compile(r"^Failregex: (\d+) total", re.M)


def stock_file(spec):
    name, _, opts = spec.partition("[")
    return os.path.join(common.STOCK_FILTERS, name + ".conf") + ("[" + opts if opts else "")


def parse_summary(path):
    with open(path, errors="replace") as f:
        text = f.read(1 << 22)
    out = {}
    m = LINES_RE.search(text)
    if m:
        out["lines"], out["ignored"], out["matched"], out["missed"] = map(int, m.groups())
    m = FAILREGEX_RE.search(text)
    if m:
        out["failures"] = int(m.group(1))
    return out


def commands(logs, empty_dir):
    """The jobs of one repetition: (case, tool, argv, stdin, log)."""
    jobs = []
    for case, log_name, spec, shipped in CASES:
        path = os.path.join(logs, log_name)
        jobs.append((case, "fail2ban-regex",
                     ["fail2ban-regex", "-r", "--print-no-missed", "--print-no-ignored", "--no-check-all", path, stock_file(spec)],
                     None, log_name))
        jobs.append((case, "warden (stock filter)", [common.WARDEN, "test", path, spec, "--config-dir", "/etc/fail2ban"], None, log_name))
        if shipped:
            jobs.append((case, "warden (own filter)", [common.WARDEN, "test", path, spec, "--config-dir", empty_dir], None, log_name))
    for case, log_name in SSHG_CASES:
        path = os.path.join(logs, log_name)
        jobs.append((case, "sshg-parser", [common.SSHG_PARSER], path, log_name))
    return jobs


def run(results, reps, only=None, skip_peers=False):
    logs = common.ensure_logs()
    common.ensure_warden()
    empty_dir = tempfile.mkdtemp(prefix="wbench-empty-")
    jobs = commands(logs, empty_dir)
    if only:
        jobs = [j for j in jobs if j[0] in only]
    if skip_peers:
        jobs = [j for j in jobs if j[1].startswith("warden")]
    for rep in range(1, reps + 1):
        for case, tool, argv, stdin, log_name in jobs:
            out = tempfile.NamedTemporaryFile(prefix="wbench-out-", delete=False).name
            r = common.timed(argv, stdin_path=stdin, out_path=out)
            rec = {"section": "detection", "case": case, "tool": tool, "rep": rep, "log": log_name,
                   "lines": 1_000_000, "cmd": " ".join(argv) + (" < " + stdin if stdin else "")}
            rec.update({k: v for k, v in r.items() if k != "stderr"})
            if tool == "sshg-parser":
                rec["attacks"] = common.count_lines(out)
            else:
                rec.update(parse_summary(out))
            if r["exit"] != 0:
                rec["error"] = r["stderr"].strip()[-500:]
            os.unlink(out)
            results.add(rec)
            common.log("detection %-18s %-22s rep %d: %.2f s wall, %.2f s CPU, %.0f MB, %s" % (
                case, tool, rep, r["wall_s"], r["user_s"] + r["sys_s"], r["rss_mb"],
                rec.get("failures", rec.get("attacks", rec.get("error", "")))))
    os.rmdir(empty_dir)


def summarize(records):
    """Rows per (case, tool): medians, and the checks and ratios against fail2ban-regex of the same case."""
    by = {}
    for r in records:
        if r.get("section") == "detection":
            by.setdefault((r["case"], r["tool"]), []).append(r)
    rows = []
    for (case, tool), rs in by.items():
        wall = common.median([r["wall_s"] for r in rs])
        cpu = common.median([r["user_s"] + r["sys_s"] for r in rs])
        row = {"case": case, "tool": tool, "n": len(rs), "log": rs[0]["log"], "lines": rs[0]["lines"],
               "wall_s": wall, "wall_range": common.spread([r["wall_s"] for r in rs]), "cpu_s": cpu,
               "rss_mb": common.median([r["rss_mb"] for r in rs]),
               "failures": rs[-1].get("failures"), "matched": rs[-1].get("matched"),
               "ignored": rs[-1].get("ignored"), "attacks": rs[-1].get("attacks"),
               "errors": sorted({r["error"] for r in rs if r.get("error")}),
               "cmd": rs[0]["cmd"]}
        rows.append(row)
    for row in rows:
        peer = next((p for p in rows if p["case"] == row["case"] and p["tool"] == "fail2ban-regex"), None)
        if peer and row["wall_s"]:
            row["vs_f2b_wall"] = peer["wall_s"] / row["wall_s"]
            row["vs_f2b_cpu"] = peer["cpu_s"] / row["cpu_s"] if row["cpu_s"] else None
        if peer and row["tool"] == "warden (stock filter)":
            row["counts_equal"] = (row["failures"], row["matched"], row["ignored"]) == (
                peer["failures"], peer["matched"], peer["ignored"])
        sshg = next((p for p in rows if p["tool"] == "sshg-parser" and p["log"] == row["log"]), None)
        if sshg and row["tool"].startswith("warden") and row["wall_s"]:
            row["vs_sshg_wall"] = sshg["wall_s"] / row["wall_s"]
            row["vs_sshg_cpu"] = sshg["cpu_s"] / row["cpu_s"] if row["cpu_s"] else None
    order = {c[0]: i for i, c in enumerate(CASES)}
    tools = ["fail2ban-regex", "warden (stock filter)", "warden (own filter)", "sshg-parser"]
    rows.sort(key=lambda r: (order.get(r["case"], 99), tools.index(r["tool"]) if r["tool"] in tools else 9))
    return rows
