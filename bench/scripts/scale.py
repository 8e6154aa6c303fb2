"""Scale: 100,000 and 1,000,000 bans in force (root needed; one namespace per size).

Apply: `warden run` follows an empty log; one write appends N lines, each from a new address, with
maxretry 1, so every line is a ban; time until the admin API reports N bans in force (the engine
sends each batch's bans to the firewall before it answers the next request), then the kernel set
is counted once to check that it holds all N; and RSS. (An earlier version timed `nft monitor`'s
events: printing 100,000 of them took most of the 2 cores, and at 1,000,000 netlink events were
lost, so neither figure was Warden's.)
Restore: stop warden (SIGTERM: bans stay in SQLite and in the kernel), delete Warden's table from
the namespace, start warden again: time from the process start until the API is up (the stored
bans are applied in one transaction before it starts), the kernel set counted again, and RSS.
Addresses are 11.0.0.0/8 (set elements only: no packet is sent).

No peer runs here: fail2ban bans one address per `sh` + `nft` call (about 2,100 s per 100,000 by
BASELINE.md's measurements); BASELINE.md's batch figures (`nft -f`, `ipset restore`) are quoted
next to Warden's in the report instead.
"""
import json
import os
import socket
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


def wait_bans(w, n, timeout, stall=120):
    """Seconds (perf_counter) at which the API first answered that n bans are in force.

    The status request is answered by the engine between batches, so during a large burst it
    waits for the batch in hand; the time is taken when the answer arrives, and a request that
    times out is simply asked again."""
    deadline = time.perf_counter() + timeout
    seen, since = -1, time.perf_counter()
    while True:
        try:
            count = w.status()["bansInForce"]
        except (TimeoutError, socket.timeout):
            count = seen
        now = time.perf_counter()
        if count >= n:
            return now
        if count != seen:
            seen, since = count, now
        elif now - since > stall:
            raise RuntimeError("%d of %d bans in force, none new in the last %d s" % (count, n, stall))
        if now > deadline:
            raise RuntimeError("only %d of %d bans after %d s" % (count, n, timeout))
        if w.proc.poll() is not None:
            raise RuntimeError("warden exited with %s" % w.proc.returncode)
        time.sleep(0.02)


def kernel_count(ns):
    """Elements in Warden's IPv4 address set of the sshd jail (one listing; slow for 1M, so done once)."""
    out = ns.nft("-j", "list", "set", "inet", "warden", "sshd_h4")
    if out.returncode != 0:
        raise RuntimeError("nft list set failed: %s" % out.stderr.strip())
    for item in json.loads(out.stdout)["nftables"]:
        if "set" in item:
            return len(item["set"].get("elem", []))
    return 0


def measure(results, rep, n, web=False):
    with daemons.Netns("wbench-scale") as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wbench-scale-%d" % os.getpid())
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        data = lines(n)
        w = daemons.Warden(ns, target, maxretry=1, findtime="1h", bantime="7d", web=web)
        try:
            w.start()
            fd = os.open(target, os.O_WRONLY | os.O_APPEND)
            t0 = time.perf_counter()
            os.write(fd, data)
            os.close(fd)
            apply_s = wait_bans(w, n, 1800) - t0
            time.sleep(1.0)
            if web:
                w.scrape()  # what a scrape costs with every ban in force is in the RSS too
            rss, hwm = daemons.proc_memory_mb(w.pid)
            status = w.status()
            in_kernel = kernel_count(ns)
            common.log("scale %d%s rep %d: applied in %.2f s (%d in the kernel set), RSS %.0f MB (HWM %.0f)" % (
                n, " (metrics)" if web else "", rep, apply_s, in_kernel, rss, hwm))
            w.stop()
            ns.nft("delete", "table", "inet", "warden")
            restart = daemons.Warden(ns, target, workdir=w.dir, keep_state=True, web=web)
            restart.start(wait=False)
            t_start = restart.started_at
            restart.wait_ready(timeout=1800)
            t_back = time.perf_counter() - t_start
            time.sleep(1.0)
            if web:
                restart.scrape()
            rss2, hwm2 = daemons.proc_memory_mb(restart.pid)
            back_in_kernel = kernel_count(ns)
            restart.stop()
            errors = ["kernel set held %d of %d after apply, %d after restore" % (in_kernel, n, back_in_kernel)] \
                if in_kernel != n or back_in_kernel != n else []
            record = {"section": "scale", "bans": n, "rep": rep, "metrics": web, "apply_s": apply_s, "rss_mb": rss, "hwm_mb": hwm,
                      "bans_in_force": status["bansInForce"], "restore_s": t_back,
                      "in_kernel": in_kernel, "restored_in_kernel": back_in_kernel,
                      "restore_rss_mb": rss2, "restore_hwm_mb": hwm2, "db_mb": os.path.getsize(os.path.join(w.dir, "warden.db")) / 1e6}
            if errors:
                record["error"] = errors[0]
            results.add(record)
            common.log("scale %d%s rep %d: restored in %.2f s (%d in the kernel set), RSS %.0f MB (HWM %.0f)" % (
                n, " (metrics)" if web else "", rep, t_back, back_in_kernel, rss2, hwm2))
        finally:
            w.cleanup()
            if os.path.exists(target):
                os.unlink(target)
            os.rmdir(work)


def run(results, reps, sizes=(100_000, 1_000_000), metrics=False):
    """`metrics`: each size also with `[web] listen` set and /metrics scraped (the listener's RSS cost)."""
    common.need_root()
    common.ensure_warden()
    for rep in range(1, reps + 1):
        for n in sizes:
            for web in ([False, True] if metrics else [False]):
                try:
                    measure(results, rep, n, web)
                except RuntimeError as e:
                    results.add({"section": "scale", "bans": n, "rep": rep, "metrics": web, "error": str(e)})
                    common.log("scale %d rep %d: %s" % (n, rep, e))


def summarize(records):
    rows = {}
    for r in records:
        if r.get("section") == "scale":
            rows.setdefault((r["bans"], bool(r.get("metrics"))), []).append(r)
    out = []
    for (n, web), rs in sorted(rows.items()):
        row = {"bans": n, "metrics": web, "n": len(rs), "errors": sorted({r["error"] for r in rs if r.get("error")})}
        for key in ("apply_s", "rss_mb", "hwm_mb", "restore_s", "restore_rss_mb", "restore_hwm_mb", "db_mb"):
            vals = [r.get(key) for r in rs if r.get(key) is not None]
            if vals:
                row[key] = common.median(vals)
                row[key + "_range"] = common.spread(vals)
        out.append(row)
    return out
