"""Ban latency: from the write() of the line that makes an address reach maxretry to the address
being in the kernel set, observed with `nft monitor elements` in the daemon's namespace (both
times read from the same clock, in this process). Addresses are 198.18.0.0/15 (RFC 2544's
benchmark range); each first gets maxretry-1 failures, then, one at a time, the crossing line.

Warden: 1,000 bans, one crossing line every 20 ms. Peers (fewer bans, they are slow): fail2ban-server
with the stock nftables action (one `sh` + `nft` per ban; Debian's backend here polls the file once a
second), sshguard's pipeline with its nft-sets backend (score 10 per failure, threshold 30).
"""
import os
import time

import common
import daemons
import peers

MAXRETRY = 3


def addresses(n):
    return ["198.18.%d.%d" % (i // 250, i % 250 + 1) for i in range(n)]


def line(addr):
    return ("%s srv1 sshd[4242]: Failed password for root from %s port 22 ssh2\n"
            % (time.strftime("%b %e %H:%M:%S"), addr)).encode()


def measure(results, rep, tool, n, spacing):
    with daemons.Netns("wbench-latency") as ns:
        work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wbench-latency-%d" % os.getpid())
        os.makedirs(work, exist_ok=True)
        target = os.path.join(work, "auth.log")
        open(target, "w").close()
        if tool == "warden run":
            d = daemons.Warden(ns, target, maxretry=MAXRETRY, findtime="1h", bantime="1h").start()
            stop = d.cleanup
        elif tool.startswith("fail2ban"):
            d = peers.Fail2ban(ns, target, action="nftables", maxretry=MAXRETRY, findtime="1h", bantime="1h").start()
            stop = d.stop
        else:
            d = peers.Sshguard(ns, target, threshold=10 * MAXRETRY)
            stop = d.stop
        monitor = daemons.NftMonitor(ns)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
        try:
            addrs = addresses(n)
            for _ in range(MAXRETRY - 1):
                os.write(fd, b"".join(line(a) for a in addrs))
            settle(d, tool, n * (MAXRETRY - 1))
            written = {}
            t0 = time.perf_counter()
            for i, a in enumerate(addrs):
                due = t0 + i * spacing
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                data = line(a)
                written[a] = time.perf_counter()
                os.write(fd, data)
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline and sum(1 for a in addrs if a in monitor.added) < n:
                time.sleep(0.05)
            lat = sorted((monitor.added[a] - written[a]) * 1000 for a in addrs if a in monitor.added)
            missing = n - len(lat)
            rec = {"section": "latency", "tool": tool, "rep": rep, "bans": n, "spacing_ms": spacing * 1000,
                   "missing": missing, "lat_ms": [round(x, 3) for x in lat]}
            if lat:
                rec.update({"p50_ms": pct(lat, 50), "p90_ms": pct(lat, 90), "p99_ms": pct(lat, 99),
                            "max_ms": lat[-1], "min_ms": lat[0]})
            results.add(rec)
            common.log("latency %s rep %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d missing" % (
                tool, rep, rec.get("p50_ms", -1), rec.get("p99_ms", -1), rec.get("max_ms", -1), missing))
        finally:
            os.close(fd)
            monitor.close()
            stop()
            os.unlink(target)
            os.rmdir(work)


def settle(d, tool, lines):
    """Waits until the daemon has read the prefill (Warden: its line counter; the others: a pause)."""
    if tool == "warden run":
        deadline = time.perf_counter() + 60
        while d.lines() < lines and time.perf_counter() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
    else:
        time.sleep(3.0)


def pct(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def run(results, reps, bans=1000, peer_bans=100, skip_peers=False):
    common.need_root()
    common.ensure_warden()
    have = peers.available()
    for rep in range(1, reps + 1):
        measure(results, rep, "warden run", bans, 0.020)
        if not skip_peers and have["fail2ban"]:
            measure(results, rep, "fail2ban-server (nftables action)", peer_bans, 0.100)
        if not skip_peers and have["sshguard"]:
            measure(results, rep, "sshguard (nft-sets)", peer_bans, 0.100)


def summarize(records):
    rows = {}
    for r in records:
        if r.get("section") == "latency":
            rows.setdefault(r["tool"], []).append(r)
    out = []
    for tool, rs in rows.items():
        row = {"tool": tool, "n": len(rs), "bans": sum(r["bans"] for r in rs), "missing": sum(r["missing"] for r in rs)}
        # Percentiles over every ban of every repetition; the per-repetition p99 shows the spread.
        pooled = sorted(x for r in rs for x in r.get("lat_ms", []))
        if pooled:
            for p in (50, 90, 99):
                row["p%d_ms" % p] = pct(pooled, p)
            row["max_ms"] = pooled[-1]
            row["p99_range"] = common.spread([r.get("p99_ms") for r in rs])
        out.append(row)
    return out
