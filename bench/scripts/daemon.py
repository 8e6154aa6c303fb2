"""The daemon at work, each inside a namespace of its own (root needed):

* keep-up rate: `warden run` follows an empty log while a writer appends the 1,000,000-line sshd
  log at full speed (1 MiB writes); the rate is lines / time until the API reports every line read.
  Peer: fail2ban-server (stock sshd filter, Debian's backend `auto` = polling here, no action,
  as BASELINE.md's f2bserver.py), done when "Total failed" reaches the expected count.
* CPU at a steady 1,000 lines/s: the writer appends the same log's lines at 1,000 lines/s (10
  every 10 ms) for a while; CPU% over the steady part (after a warm-up) from /proc, children
  included. Peers: fail2ban-server with the stock nftables action, sshguard's pipeline.

Each daemon uses the stock sshd filter (Warden reads /etc/fail2ban/filter.d through its config
directory), maxretry 5, findtime and bantime 365 days (the log is dated early November 2026).
"""
import os
import threading
import time

import common
import daemons
import peers


def append_all(src, dst, chunk=1 << 20):
    fd = os.open(dst, os.O_WRONLY | os.O_APPEND)
    try:
        with open(src, "rb") as f:
            for buf in iter(lambda: f.read(chunk), b""):
                os.write(fd, buf)
    finally:
        os.close(fd)


def paced_writer(src, dst, rate, seconds, batch=10):
    """Appends lines of src to dst at `rate` lines/s on an absolute schedule; returns lines written."""
    with open(src, "rb") as f:
        lines = [f.readline() for _ in range(int(rate * seconds) + batch)]
    fd = os.open(dst, os.O_WRONLY | os.O_APPEND)
    t0 = time.perf_counter()
    written = 0
    try:
        while written < rate * seconds:
            due = t0 + written / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            os.write(fd, b"".join(lines[written:written + batch]))
            written += batch
    finally:
        os.close(fd)
    return written


WEB_TOOL = "warden run ([web] /metrics scraped 1/s)"


def scraping(w, web):
    """Starts a thread scraping /metrics every second when `web`; returns a function that stops it."""
    if not web:
        return lambda: 0
    stop, sizes = threading.Event(), {}
    thread = threading.Thread(target=lambda: sizes.update(s=w.scrape_every(1.0, stop)))
    thread.start()

    def end():
        stop.set()
        thread.join()
        return len(sizes.get("s", []))
    return end


def keep_up_warden(results, rep, log_src, expect_failures, web=False):
    with daemons.Netns("wbench-keepup") as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wbench-keepup-%d" % os.getpid())
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        w = daemons.Warden(ns, target, stock_filters=True, web=web)
        try:
            w.start()
            end_scraping = scraping(w, web)
            cpu0 = daemons.proc_cpu_seconds(w.pid)
            t0 = time.perf_counter()
            append_all(log_src, target)
            t_written = time.perf_counter() - t0
            total = 1_000_000
            while True:
                st = w.status()
                if st["lines"] >= total:
                    break
                if time.perf_counter() - t0 > 900:
                    raise RuntimeError("warden did not read the log within 900 s: %s" % st)
                time.sleep(0.02)
            elapsed = time.perf_counter() - t0
            cpu = daemons.proc_cpu_seconds(w.pid) - cpu0
            rss, hwm = daemons.proc_memory_mb(w.pid)
            scrapes = end_scraping()
            jail = st["jails"][0]
            rec = results.add({"section": "daemon", "case": "keep-up", "tool": WEB_TOOL if web else "warden run", "rep": rep,
                               "scrapes": scrapes,
                               "lines": total, "wall_s": round(elapsed, 3), "lines_per_s": total / elapsed,
                               "writer_s": round(t_written, 3), "cpu_s": cpu, "rss_mb": rss, "hwm_mb": hwm,
                               "failures": jail["failures"], "bans": jail["bans"], "stale": jail["stale"],
                               "expect_failures": expect_failures})
            common.log("daemon keep-up %s rep %d: %.2f s, %.0f lines/s, %d failures, %d bans, HWM %.0f MB" % (
                "warden (metrics)" if web else "warden", rep, elapsed, rec["lines_per_s"], jail["failures"], jail["bans"], hwm))
        finally:
            w.cleanup()
            os.unlink(target)
            os.rmdir(work)


def fail2ban_ingest(log_src, expect_failures, ns_name="wbench-keepup"):
    """fail2ban-server (no action) fed log_src at full speed: the time until its status counts every
    failure and ban (0.5 s polling), its CPU seconds over that time, RSS and peak RSS (MB), and the
    final (failures, bans). Shared by the daemon and replay sections."""
    with daemons.Netns(ns_name) as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "%s-f2b-%d" % (ns_name, os.getpid()))
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        f2b = peers.Fail2ban(ns, target, action="none")
        try:
            f2b.start()
            cpu0 = daemons.proc_cpu_seconds(f2b.pid)
            t0 = time.perf_counter()
            append_all(log_src, target)
            last, stable, done = None, 0, None
            while time.perf_counter() - t0 < 1800:
                time.sleep(0.5)
                counts = f2b.counts()
                if counts[0] is not None and counts[0] >= expect_failures and counts == last:
                    stable += 1
                    if stable >= 2:
                        break
                else:
                    stable = 0
                    done = time.perf_counter() - t0
                last = counts
            cpu = daemons.proc_cpu_seconds(f2b.pid) - cpu0
            rss, hwm = daemons.proc_memory_mb(f2b.pid)
            return done, cpu, rss, hwm, last
        finally:
            f2b.stop()
            os.unlink(target)
            os.rmdir(work)


def keep_up_fail2ban(results, rep, log_src, expect_failures):
    done, cpu, rss, hwm, last = fail2ban_ingest(log_src, expect_failures)
    rec = results.add({"section": "daemon", "case": "keep-up", "tool": "fail2ban-server (no action)", "rep": rep,
                       "lines": 1_000_000, "wall_s": round(done, 3), "lines_per_s": 1_000_000 / done,
                       "cpu_s": cpu, "rss_mb": rss, "hwm_mb": hwm, "failures": last[0], "bans": last[1],
                       "expect_failures": expect_failures, "note": "0.5 s status polling resolution"})
    common.log("daemon keep-up fail2ban rep %d: %.1f s, %.0f lines/s, %s" % (rep, done, rec["lines_per_s"], last))


def steady(results, rep, log_src, tool, rate=1000, seconds=60, warmup=None):
    # The window must be most of the run: a short run (--quick) with a 10 s warm-up measured ~1 s.
    warmup = min(10.0, seconds / 4.0) if warmup is None else warmup
    with daemons.Netns("wbench-steady") as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wbench-steady-%d" % os.getpid())
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        if tool in ("warden run", WEB_TOOL):
            d = daemons.Warden(ns, target, stock_filters=True, web=tool == WEB_TOOL).start()
            end_scraping = scraping(d, tool == WEB_TOOL)
            pid, cpu_of = d.pid, daemons.proc_cpu_seconds

            def stop():
                end_scraping()
                d.cleanup()
        elif tool.startswith("fail2ban"):
            d = peers.Fail2ban(ns, target, action="nftables").start()
            pid, cpu_of, stop = d.pid, daemons.proc_cpu_seconds, d.stop
        else:
            d = peers.Sshguard(ns, target)
            pid, cpu_of, stop = d.pid, daemons.proc_tree_cpu_seconds, d.stop
        try:
            written = {}
            writer = threading.Thread(target=lambda: written.update(n=paced_writer(log_src, target, rate, seconds)))
            writer.start()
            time.sleep(warmup)
            c0, t0 = cpu_of(pid), time.perf_counter()
            writer.join()
            time.sleep(1.0)
            c1, t1 = cpu_of(pid), time.perf_counter()
            rss, hwm = daemons.proc_memory_mb(pid)
            pct = 100.0 * (c1 - c0) / (t1 - t0)
            results.add({"section": "daemon", "case": "cpu at %d lines/s" % rate, "tool": tool, "rep": rep,
                         "lines": written.get("n"), "window_s": round(t1 - t0, 2), "cpu_pct": pct,
                         "rss_mb": rss, "hwm_mb": hwm})
            common.log("daemon steady %s rep %d: %.2f%% CPU at %d lines/s, RSS %.0f MB" % (tool, rep, pct, rate, rss or 0))
        finally:
            stop()
            os.unlink(target)
            os.rmdir(work)


def run(results, reps, skip_peers=False, steady_seconds=60):
    common.need_root()
    common.ensure_warden()
    logs = common.ensure_logs()
    src = os.path.join(logs, "auth.log")
    expect_failures = common.expect(src)["filters"]["fail2ban sshd (mode=normal)"]["f2b_regex_no_check_all"]["matched"]
    have = peers.available()
    for rep in range(1, reps + 1):
        keep_up_warden(results, rep, src, expect_failures)
        keep_up_warden(results, rep, src, expect_failures, web=True)
        if not skip_peers and have["fail2ban"]:
            keep_up_fail2ban(results, rep, src, expect_failures)
        steady(results, rep, src, "warden run", seconds=steady_seconds)
        steady(results, rep, src, WEB_TOOL, seconds=steady_seconds)
        if not skip_peers and have["fail2ban"]:
            steady(results, rep, src, "fail2ban-server (nftables action)", seconds=steady_seconds)
        if not skip_peers and have["sshguard"]:
            steady(results, rep, src, "sshguard", seconds=steady_seconds)


def summarize(records):
    rows = {}
    for r in records:
        if r.get("section") == "daemon":
            rows.setdefault((r["case"], r["tool"]), []).append(r)
    out = []
    for (case, tool), rs in rows.items():
        row = {"case": case, "tool": tool, "n": len(rs)}
        for key in ("wall_s", "lines_per_s", "cpu_s", "cpu_pct", "rss_mb", "hwm_mb"):
            vals = [r.get(key) for r in rs if r.get(key) is not None]
            if vals:
                row[key] = common.median(vals)
                row[key + "_range"] = common.spread(vals)
        for key in ("failures", "bans", "expect_failures"):
            if rs[-1].get(key) is not None:
                row[key] = rs[-1][key]
        out.append(row)
    return out
