"""Fleet (issue 18): three `warden run` hosts (a, b, c) sharing bans through Debian's redis-server on
a fourth, each in its own namespace joined to the Redis host by a veth pair (host N is 10.9.N.2,
Redis 10.9.N.1), keys from `warden fleet keygen`, Redis as Debian runs it (no fsync per write).

Propagation: 200 manual bans on a through its admin API, one every 20 ms; `nft monitor elements`
in a's and c's namespaces timestamps each address's arrival in the kernel sets (both clocks in
this process): latency = c's arrival - a's arrival. Burst: one write of 10,000 log lines from new
addresses to a's log (maxretry 1, so every line is a ban), time until a, b and c each report
every one in force through their admin APIs (the kernel sets are counted after); then each node's
RSS 1 s later and 5 s later (settled: the daemon compacts its heap on the first quiet second after
a burst and once more 3 s after one that left much live, see MemoryCompaction), and its peak. Addresses: 198.18.0.0/15 and 11.0.0.0/8, set elements only: no packet is sent.
"""
import contextlib
import os
import shutil
import subprocess
import tempfile
import time

import common
import daemons
import latency
import scale

NAMES = ["a", "b", "c"]
PROPAGATION_BANS = 200
PROPAGATION_SPACING = 0.020
BURST = 10_000


def burst_lines(n):
    stamp = time.strftime("%b %e %H:%M:%S")
    return "".join("%s srv1 sshd[4242]: Failed password for root from 11.%d.%d.%d port 22 ssh2\n"
                   % (stamp, (i >> 16) & 255, (i >> 8) & 255, i & 255) for i in range(n)).encode()


class Redis:
    """redis-server in a namespace, listening on every address of it, port 6379."""

    def __init__(self, ns, work):
        self.ns = ns
        self.proc = subprocess.Popen(ns.prefix() + [
            "/usr/bin/redis-server", "--port", "6379", "--bind", "0.0.0.0", "--protected-mode", "no",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", work,
            "--logfile", os.path.join(work, "redis.log")])
        deadline = time.perf_counter() + 10
        while self.cli("PING") != "PONG":
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                raise RuntimeError("redis-server did not answer PING")
            time.sleep(0.05)

    def cli(self, *args):
        out = subprocess.run(self.ns.prefix() + ["/usr/bin/redis-cli", "-h", "127.0.0.1", "-p", "6379"] + list(args),
                             capture_output=True, text=True)
        return out.stdout.strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def start_fleet(stack, work):
    """The four namespaces, Redis and the three daemons; returns (redis, {name: (ns, warden)})."""
    rns = stack.enter_context(daemons.Netns("wbench-fl-r"))
    redis = Redis(rns, work)
    stack.callback(redis.stop)
    peers = os.path.join(work, "peers")
    os.makedirs(peers)
    hosts = {}
    for i, name in enumerate(NAMES, 1):
        ns = stack.enter_context(daemons.Netns("wbench-fl-" + name))
        subprocess.run(["ip", "link", "add", "wbfl%s0" % name, "netns", rns.name, "type", "veth",
                        "peer", "name", "wbfl%s1" % name, "netns", ns.name], check=True)
        for side, dev, addr in ((rns, "wbfl%s0" % name, "10.9.%d.1/24" % i), (ns, "wbfl%s1" % name, "10.9.%d.2/24" % i)):
            subprocess.run(["ip", "-n", side.name, "addr", "add", addr, "dev", dev], check=True)
            subprocess.run(["ip", "-n", side.name, "link", "set", dev, "up"], check=True)
        keys = os.path.join(work, "keys", name)
        common.run_quiet([common.WARDEN, "fleet", "keygen", name, "--dir", keys])
        shutil.copy(os.path.join(keys, name + ".pub"), peers)
        hosts[name] = (ns, i, keys)
    wardens = {}
    for name, (ns, i, keys) in hosts.items():
        log = os.path.join(work, name + ".log")
        open(log, "w").close()
        fleet = ("\n[fleet]\nredis = redis://10.9.%d.1:6379\nnode = %s\nkey_file = %s\npeers_dir = %s\n"
                 % (i, name, os.path.join(keys, name + ".key"), peers))
        w = daemons.Warden(ns, log, maxretry=1, findtime="1h", bantime="1h", extra_conf=fleet)
        stack.callback(w.cleanup)
        wardens[name] = (ns, w.start())
    deadline = time.perf_counter() + 30
    while not all(w.status().get("fleet", {}).get("connected") for _, w in wardens.values()):
        if time.perf_counter() > deadline:
            raise RuntimeError("the hosts did not all connect to Redis: %s" % wardens["a"][1].tail())
        time.sleep(0.05)
    return redis, wardens


def propagation(wardens):
    """Kernel-to-kernel latencies a -> c (ms, sorted) of PROPAGATION_BANS manual bans, and how many c never showed."""
    addrs = latency.addresses(PROPAGATION_BANS)
    at_a = daemons.NftMonitor(wardens["a"][0])
    at_c = daemons.NftMonitor(wardens["c"][0])
    try:
        t0 = time.perf_counter()
        for i, addr in enumerate(addrs):
            delay = t0 + i * PROPAGATION_SPACING - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            wardens["a"][1].request("POST", "/api/bans", {"jail": "sshd", "target": addr, "duration": 3600})
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not all(a in at_a.added and a in at_c.added for a in addrs):
            time.sleep(0.05)
        lat = sorted((at_c.added[a] - at_a.added[a]) * 1000 for a in addrs if a in at_a.added and a in at_c.added)
        return lat, len(addrs) - len(lat)
    finally:
        at_a.close()
        at_c.close()


def burst(wardens):
    """Seconds from the write of BURST lines on a until a, b and c each have them all in force."""
    before = {name: w.status()["bansInForce"] for name, (_, w) in wardens.items()}
    data = burst_lines(BURST)
    fd = os.open(wardens["a"][1].log_path, os.O_WRONLY | os.O_APPEND)
    t0 = time.perf_counter()
    os.write(fd, data)
    os.close(fd)
    done = {}
    deadline = t0 + 300
    while len(done) < len(wardens):
        for name, (_, w) in wardens.items():
            if name not in done and w.status()["bansInForce"] >= before[name] + BURST:
                done[name] = time.perf_counter() - t0
        if time.perf_counter() > deadline:
            raise RuntimeError("after 300 s: %s of the %d bans in force" % (
                {n: w.status()["bansInForce"] - before[n] for n, (_, w) in wardens.items()}, BURST))
        time.sleep(0.02)
    return done, before


def measure(results, rep):
    with contextlib.ExitStack() as stack:
        work = tempfile.mkdtemp(prefix="wbench-fleet-")
        stack.callback(shutil.rmtree, work, True)
        redis, wardens = start_fleet(stack, work)
        lat, missing = propagation(wardens)
        done, before = burst(wardens)
        time.sleep(1.0)
        early = {name: daemons.proc_memory_mb(w.pid)[0] for name, (_, w) in wardens.items()}
        time.sleep(4.0)
        rss = {name: daemons.proc_memory_mb(w.pid) for name, (_, w) in wardens.items()}
        kernel = {name: scale.kernel_count(ns) for name, (ns, _) in wardens.items()}
        fleet_b = wardens["b"][1].status()["fleet"]
        rec = {"section": "fleet", "rep": rep, "bans": PROPAGATION_BANS, "missing": missing,
               "lat_ms": [round(x, 3) for x in lat], "burst": BURST,
               "burst_s": done, "burst_s_peers": max(done["b"], done["c"]),
               "rss_1s_mb": early, "rss_mb": {n: r[0] for n, r in rss.items()}, "hwm_mb": {n: r[1] for n, r in rss.items()},
               "in_kernel": kernel, "expected_in_kernel": {n: before[n] + BURST for n in NAMES},
               "redis_rss_mb": daemons.proc_memory_mb(redis.proc.pid)[0],
               "dropped_b": fleet_b.get("dropped"), "rejected_b": fleet_b.get("rejected")}
        if lat:
            rec.update({"p50_ms": latency.pct(lat, 50), "p99_ms": latency.pct(lat, 99), "max_ms": lat[-1]})
        errors = ["%s's kernel set held %d of %d" % (n, kernel[n], before[n] + BURST) for n in NAMES if kernel[n] != before[n] + BURST]
        if missing or errors:
            rec["error"] = "; ".join(([("%d bans never seen on c" % missing)] if missing else []) + errors)
        results.add(rec)
        common.log("fleet rep %d: a->c p50 %.1f ms, p99 %.1f ms (%d missing); %d bans on a %.2f s, b %.2f s, c %.2f s; "
                   "RSS 1 s after a %.0f b %.0f c %.0f MB, 5 s after a %.0f b %.0f c %.0f MB; redis %.0f MB%s" % (
                       rep, rec.get("p50_ms", -1), rec.get("p99_ms", -1), missing, BURST, done["a"], done["b"], done["c"],
                       early["a"], early["b"], early["c"], rss["a"][0], rss["b"][0], rss["c"][0], rec["redis_rss_mb"], "; " + rec["error"] if rec.get("error") else ""))


def run(results, reps):
    common.need_root()
    common.ensure_warden()
    if not common.have("/usr/bin/redis-server"):
        common.die("fleet needs Debian's redis-server (apt-get install redis-server)")
    for rep in range(1, reps + 1):
        try:
            measure(results, rep)
        except RuntimeError as e:
            results.add({"section": "fleet", "rep": rep, "error": str(e)})
            common.log("fleet rep %d: %s" % (rep, e))


def summarize(records):
    rs = [r for r in records if r.get("section") == "fleet" and r.get("lat_ms") is not None]
    if not rs:
        return None
    pooled = sorted(x for r in rs for x in r["lat_ms"])
    row = {"n": len(rs), "bans": sum(r["bans"] for r in rs), "missing": sum(r["missing"] for r in rs),
           "errors": sorted({r["error"] for r in records if r.get("section") == "fleet" and r.get("error")})}
    if pooled:
        row.update({"p50_ms": latency.pct(pooled, 50), "p99_ms": latency.pct(pooled, 99), "max_ms": pooled[-1],
                    "p99_range": common.spread([r.get("p99_ms") for r in rs])})
    for name in NAMES:
        burst_s = [r["burst_s"][name] for r in rs]
        row["burst_s_" + name] = common.median(burst_s)
        row["burst_s_%s_range" % name] = common.spread(burst_s)
        row["rss_mb_" + name] = common.median([r["rss_mb"][name] for r in rs])
        row["rss_1s_mb_" + name] = common.median([r["rss_1s_mb"][name] for r in rs])
        row["hwm_mb_" + name] = common.median([r["hwm_mb"][name] for r in rs])
    row["burst_s_peers"] = common.median([r["burst_s_peers"] for r in rs])
    row["rss_mb_max"] = max(r["rss_mb"][n] for r in rs for n in NAMES)
    row["redis_rss_mb"] = common.median([r["redis_rss_mb"] for r in rs])
    return row


def table(records):
    row = summarize(records)
    if row is None:
        return None
    out = ["| measure | a | b | c | target |", "|---|---:|---:|---:|---|",
           "| kernel a -> kernel c, %s manual bans (%d runs): p50 / p99 (per-run p99 range) / max ms | | | %.1f / %.1f%s / %.1f | p99 < 200 ms |" % (
               "{:,}".format(row["bans"]), row["n"], row["p50_ms"], row["p99_ms"], rng(row["p99_range"]), row["max_ms"]),
           "| %s bans from one write to a's log: s until all in force (range) | %s | %s | %s | b and c < 10 s |" % (
               "{:,}".format(BURST), *("%.2f%s" % (row["burst_s_" + n], rng(row["burst_s_%s_range" % n])) for n in NAMES)),
           "| RSS 1 s after the burst, MB | %s | %s | %s | |" % tuple("%.1f" % row["rss_1s_mb_" + n] for n in NAMES),
           "| RSS 5 s after the burst (settled), MB (peak) | %s | %s | %s | < 60 MB |" % tuple(
               "%.1f (%.1f)" % (row["rss_mb_" + n], row["hwm_mb_" + n]) for n in NAMES)]
    notes = ["redis-server RSS %.1f MB." % row["redis_rss_mb"]]
    if row["missing"]:
        notes.append("%d bans never seen on c." % row["missing"])
    notes += row["errors"]
    return "\n".join(out + ["", " ".join(notes)])


def rng(pair):
    return " (%.1f-%.1f)" % pair if pair and pair[0] is not None else ""
