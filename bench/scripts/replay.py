"""Section `replay`: `warden replay` over the 1M-line sshd log, next to the same log appended live to
`warden run` (the daemon must make the same bans in the same order) and to fail2ban-server (no
action), the only way fail2ban has to learn what a log history would have banned. Stock sshd filter,
maxretry 5, findtime and bantime 365d (the log is dated 2026-11-01..07: older than findtime is ignored
by both daemons), so every address is banned once, at its 5th failure."""
import json
import os
import shutil
import sqlite3
import tempfile
import time

import common
import daemon
import daemons
import peers
from daemon import append_all


def _config(log_path):
    d = tempfile.mkdtemp(prefix="wbench-replay-")
    os.symlink(common.STOCK_FILTERS, os.path.join(d, "filter.d"))
    with open(os.path.join(d, "jail.local"), "w") as f:
        f.write(daemons.JAIL.format(jail="sshd", filter="sshd", log=log_path, maxretry=5, findtime="365d", bantime="365d"))
    with open(os.path.join(d, "warden.conf"), "w") as f:
        f.write("[warden]\nignoreself = false\n")
    return d


def _host(target):
    return target.rsplit("/", 1)[0] if target.endswith(("/32", "/128")) else target


def replay_run(results, rep, src):
    d = _config(src)
    out = os.path.join(d, "replay.json")
    try:
        t = common.timed([common.WARDEN, "replay", "--config-dir", d, src, "--json"], out_path=out)
        if t["exit"] != 0:
            raise RuntimeError("warden replay failed: " + t["stderr"])
        with open(out) as f:
            doc = json.load(f)
        bans = [(b["jail"], _host(b["address"])) for b in doc["bans"]]
        rec = results.add({"section": "replay", "case": "replay", "tool": "warden replay", "rep": rep, "lines": 1_000_000,
                           "wall_s": t["wall_s"], "cpu_s": t["user_s"] + t["sys_s"], "rss_mb": t["rss_mb"], "bans": len(bans)})
        common.log("replay warden rep %d: %.2f s, %d bans, RSS %.0f MB" % (rep, rec["wall_s"], len(bans), t["rss_mb"]))
        return bans
    finally:
        shutil.rmtree(d, ignore_errors=True)


def daemon_run(results, rep, src, expected):
    """The same log appended at full speed to a running daemon; its bans in the order it made them."""
    with daemons.Netns("wbench-replay") as ns:
        work = tempfile.mkdtemp(prefix="wbench-replay-live-")
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        w = daemons.Warden(ns, target, stock_filters=True)
        try:
            w.start()
            t0 = time.perf_counter()
            append_all(src, target)
            while w.status()["lines"] < 1_000_000 or w.status()["jails"][0]["bans"] < len(expected):
                if time.perf_counter() - t0 > 900:
                    raise RuntimeError("warden did not read the log within 900 s: %s" % w.status())
                time.sleep(0.02)
            elapsed = time.perf_counter() - t0
            w.stop()
            db = sqlite3.connect(os.path.join(w.dir, "warden.db"))
            bans = [(j, _host(t)) for j, t in db.execute("SELECT jail, target FROM bans WHERE origin = 'Jail' ORDER BY id")]
            db.close()
        finally:
            w.cleanup()
            shutil.rmtree(work, ignore_errors=True)
    first = next((i for i, (a, b) in enumerate(zip(bans, expected)) if a != b), None)
    same_set = set(bans) == set(expected)
    same_order = bans == expected
    results.add({"section": "replay", "case": "daemon, appended live", "tool": "warden run", "rep": rep, "lines": 1_000_000,
                 "wall_s": round(elapsed, 3), "bans": len(bans), "same_bans": same_set, "same_order": same_order,
                 "first_difference": first})
    common.log("replay: daemon rep %d: %.2f s, %d bans; same bans as the replay: %s, same order: %s%s" % (
        rep, elapsed, len(bans), same_set, same_order, "" if first is None else " (first difference at %d: %s vs %s)" % (first, bans[first], expected[first])))


def fail2ban_run(results, rep, src, expect_failures):
    done, cpu, _, _, last = daemon.fail2ban_ingest(src, expect_failures, "wbench-replay")
    results.add({"section": "replay", "case": "ingest", "tool": "fail2ban-server (no action)", "rep": rep, "lines": 1_000_000,
                 "wall_s": round(done, 3), "cpu_s": cpu, "bans": last[1], "failures": last[0],
                 "note": "time until its status counts every failure and ban (0.5 s polling)"})
    common.log("replay: fail2ban-server rep %d: %.1f s, %s" % (rep, done, last))


def run(results, reps, skip_peers=False):
    common.need_root()
    common.ensure_warden()
    src = os.path.join(common.ensure_logs(), "auth.log")
    expect_failures = common.expect(src)["filters"]["fail2ban sshd (mode=normal)"]["f2b_regex_no_check_all"]["matched"]
    have = peers.available()
    for rep in range(1, reps + 1):
        bans = replay_run(results, rep, src)
        daemon_run(results, rep, src, bans)
        if not skip_peers and have["fail2ban"]:
            fail2ban_run(results, rep, src, expect_failures)


def table(records):
    rows = {}
    for r in records:
        if r.get("section") == "replay":
            rows.setdefault((r["case"], r["tool"]), []).append(r)
    if not rows:
        return None
    out = ["| case | tool | runs | wall s (median, range) | CPU s | bans | note |", "|---|---|---|---|---|---|---|"]
    replay_wall = None
    for (case, tool), rs in rows.items():
        walls = [r["wall_s"] for r in rs]
        wall = common.median(walls)
        if tool == "warden replay":
            replay_wall = wall
        note = rs[-1].get("note", "")
        if "same_order" in rs[-1]:
            note = "same bans as the replay: %s; same order: %s" % (
                "yes" if all(r["same_bans"] for r in rs) else "NO", "yes" if all(r["same_order"] for r in rs) else "NO")
        low, high = common.spread(walls)
        cpus = [r["cpu_s"] for r in rs if r.get("cpu_s") is not None]
        out.append("| %s | %s | %d | %.2f (%.2f-%.2f) | %s | %s | %s |" % (
            case, tool, len(rs), wall, low, high, "%.1f" % common.median(cpus) if cpus else "-", rs[-1]["bans"], note))
    f2b = [r["wall_s"] for r in records if r.get("section") == "replay" and r["tool"].startswith("fail2ban")]
    if replay_wall and f2b:
        out += ["", "warden replay takes **%.0fx** less time than fail2ban-server ingesting the same log (target: 50x)." % (
            common.median(f2b) / replay_wall)]
    return "\n".join(out)
