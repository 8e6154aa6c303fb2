"""Scale: 100,000 and 1,000,000 bans in force (root needed; one namespace per size).

Apply: `warden run` follows an empty log; one write appends N lines, each from a new address, with
maxretry 1, so every line is a ban; time until `nft monitor` has shown N added elements, and RSS.
Restore: stop warden (SIGTERM: bans stay in SQLite and in the kernel), delete Warden's table from
the namespace, start warden again: time from the process start until the N elements are back, and
RSS. Addresses are 11.0.0.0/8 (set elements only: no packet is sent).

No peer runs here: fail2ban bans one address per `sh` + `nft` call (about 2,100 s per 100,000 by
BASELINE.md's measurements); BASELINE.md's batch figures (`nft -f`, `ipset restore`) are quoted
next to Warden's in the report instead.
"""
import os
import time

import common
import daemons


def lines(n):
    stamp = time.strftime("%b %e %H:%M:%S")
    out = []
    for i in range(n):
        out.append("%s srv1 sshd[4242]: Failed password for root from 11.%d.%d.%d port 22 ssh2\n"
                   % (stamp, (i >> 16) & 255, (i >> 8) & 255, i & 255))
    return "".join(out).encode()


def wait_count(monitor, n, proc, timeout, stall=60):
    deadline = time.perf_counter() + timeout
    seen, since = monitor.count, time.perf_counter()
    while monitor.count < n:
        if time.perf_counter() > deadline:
            raise RuntimeError("only %d of %d elements after %d s" % (monitor.count, n, timeout))
        if monitor.count != seen:
            seen, since = monitor.count, time.perf_counter()
        elif time.perf_counter() - since > stall:
            # Seen at 1,000,000 elements: `nft monitor` loses netlink events (socket buffer
            # overrun) although the set holds every element; the arrival time is then unknown.
            raise RuntimeError("nft monitor saw %d of %d elements, none in the last %d s (netlink events lost)" % (
                monitor.count, n, stall))
        if proc.poll() is not None:
            raise RuntimeError("warden exited with %s" % proc.returncode)
        time.sleep(0.01)
    # The last element's arrival, not the poll's.
    return max(monitor.added.values())


def measure(results, rep, n):
    with daemons.Netns("wbench-scale") as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wbench-scale-%d" % os.getpid())
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        data = lines(n)
        w = daemons.Warden(ns, target, maxretry=1, findtime="1h", bantime="7d")
        monitor = None
        try:
            w.start()
            monitor = daemons.NftMonitor(ns)
            fd = os.open(target, os.O_WRONLY | os.O_APPEND)
            t0 = time.perf_counter()
            os.write(fd, data)
            os.close(fd)
            t_last = wait_count(monitor, n, w.proc, 1800)
            apply_s = t_last - t0
            time.sleep(1.0)
            rss, hwm = daemons.proc_memory_mb(w.pid)
            status = w.status()
            common.log("scale %d rep %d: applied in %.2f s, RSS %.0f MB (HWM %.0f)" % (n, rep, apply_s, rss, hwm))
            monitor.close()
            w.stop()
            ns.nft("delete", "table", "inet", "warden")
            monitor = daemons.NftMonitor(ns)
            restart = daemons.Warden(ns, target, workdir=w.dir, keep_state=True)
            restart.start(wait=False)
            t_start = restart.started_at
            restart.wait_ready(timeout=1800)
            t_ready = time.perf_counter() - t_start
            t_back = wait_count(monitor, n, restart.proc, 1800) - t_start
            time.sleep(1.0)
            rss2, hwm2 = daemons.proc_memory_mb(restart.pid)
            restart.stop()
            results.add({"section": "scale", "bans": n, "rep": rep, "apply_s": apply_s, "rss_mb": rss, "hwm_mb": hwm,
                         "bans_in_force": status["bansInForce"], "restore_s": t_back, "restore_api_s": t_ready,
                         "restore_rss_mb": rss2, "restore_hwm_mb": hwm2, "db_mb": os.path.getsize(os.path.join(w.dir, "warden.db")) / 1e6})
            common.log("scale %d rep %d: restored in %.2f s (API up after %.2f s), RSS %.0f MB (HWM %.0f)" % (
                n, rep, t_back, t_ready, rss2, hwm2))
        finally:
            if monitor:
                monitor.close()
            w.cleanup()
            if os.path.exists(target):
                os.unlink(target)
            os.rmdir(work)


def run(results, reps, sizes=(100_000, 1_000_000)):
    common.need_root()
    common.ensure_warden()
    for rep in range(1, reps + 1):
        for n in sizes:
            try:
                measure(results, rep, n)
            except RuntimeError as e:
                results.add({"section": "scale", "bans": n, "rep": rep, "error": str(e)})
                common.log("scale %d rep %d: %s" % (n, rep, e))


def summarize(records):
    rows = {}
    for r in records:
        if r.get("section") == "scale":
            rows.setdefault(r["bans"], []).append(r)
    out = []
    for n, rs in sorted(rows.items()):
        row = {"bans": n, "n": len(rs), "errors": sorted({r["error"] for r in rs if r.get("error")})}
        for key in ("apply_s", "rss_mb", "hwm_mb", "restore_s", "restore_api_s", "restore_rss_mb", "restore_hwm_mb", "db_mb"):
            vals = [r.get(key) for r in rs if r.get(key) is not None]
            if vals:
                row[key] = common.median(vals)
                row[key + "_range"] = common.spread(vals)
        out.append(row)
    return out
