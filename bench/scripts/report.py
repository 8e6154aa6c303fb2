"""Markdown tables of a results.jsonl: Warden next to the peers, and the targets met or missed."""
import os

import common
import daemon
import detection
import fleet
import latency
import replay
import scale
import startup


def fmt(v, digits=2):
    if v is None:
        return "-"
    if isinstance(v, float):
        if abs(v) >= 1000:
            return "{:,.0f}".format(v)
        return ("{:.%df}" % digits).format(v)
    if isinstance(v, int):
        return "{:,}".format(v)
    return str(v)


def rng(pair, digits=2):
    if not pair or pair[0] is None:
        return ""
    return " (%s-%s)" % (fmt(pair[0], digits), fmt(pair[1], digits))


def detection_table(rows):
    out = ["| case | tool | wall s, median (min-max) | lines/s | CPU s | peak RSS MB | failures (lines matched) | same as fail2ban-regex | fail2ban-regex wall / this | fail2ban-regex CPU / this | sshg-parser wall / this | sshg-parser CPU / this |",
           "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        found = "%s attacks" % fmt(r["attacks"]) if r.get("attacks") is not None else (
            "%s (%s)" % (fmt(r.get("failures")), fmt(r.get("matched"))) if r.get("failures") is not None else "-")
        same = {True: "yes", False: "**NO**"}.get(r.get("counts_equal"), "")
        if r.get("errors"):
            found = "error: " + r["errors"][0][:80]
        out.append("| %s | %s | %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["case"], r["tool"], fmt(r["wall_s"]), rng(r["wall_range"]), fmt(r["lines"] / r["wall_s"] if r["wall_s"] else None),
            fmt(r["cpu_s"]), fmt(r["rss_mb"], 1), found, same,
            "" if r["tool"] == "fail2ban-regex" else fmt(r.get("vs_f2b_wall"), 1) + ("x" if r.get("vs_f2b_wall") else ""),
            "" if r["tool"] == "fail2ban-regex" else fmt(r.get("vs_f2b_cpu"), 1) + ("x" if r.get("vs_f2b_cpu") else ""),
            fmt(r.get("vs_sshg_wall"), 2) + ("x" if r.get("vs_sshg_wall") else ""),
            fmt(r.get("vs_sshg_cpu"), 2) + ("x" if r.get("vs_sshg_cpu") else "")))
    return "\n".join(out)


def startup_table(rows):
    out = ["| command | median ms | min ms | peak RSS MB |", "|---|---:|---:|---:|"]
    for r in rows:
        out.append("| `%s` | %s | %s | %s |" % (r["case"], fmt(r["median_ms"], 1), fmt(r["min_ms"], 1), fmt(r["rss_mb"], 1)))
    return "\n".join(out)


def daemon_table(rows):
    out = ["| measure | daemon | lines/s (range) | CPU % (range) | CPU s | RSS MB (peak) | failures / bans |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append("| %s | %s | %s%s | %s%s | %s | %s (%s) | %s |" % (
            r["case"], r["tool"], fmt(r.get("lines_per_s")), rng(r.get("lines_per_s_range")),
            fmt(r.get("cpu_pct"), 1), rng(r.get("cpu_pct_range"), 1), fmt(r.get("cpu_s")),
            fmt(r.get("rss_mb"), 1), fmt(r.get("hwm_mb"), 1),
            "%s / %s" % (fmt(r.get("failures")), fmt(r.get("bans"))) if r.get("failures") is not None else "-"))
    return "\n".join(out)


def latency_table(rows):
    out = ["| daemon | bans measured | p50 ms | p90 ms | p99 ms (per-run range) | max ms | not seen |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s%s | %s | %s |" % (
            r["tool"], fmt(r["bans"]), fmt(r.get("p50_ms"), 1), fmt(r.get("p90_ms"), 1), fmt(r.get("p99_ms"), 1),
            rng(r.get("p99_range"), 1), fmt(r.get("max_ms"), 1), fmt(r["missing"])))
    return "\n".join(out)


def scale_table(rows):
    out = ["| bans in force | apply s (write -> all in force) | RSS MB (peak) | restore at start s (start -> API up, bans applied) | RSS after restore MB (peak) | state DB MB | note |",
           "|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        out.append("| %s | %s%s | %s (%s) | %s%s | %s (%s) | %s | %s |" % (
            fmt(r["bans"]) + (" + /metrics" if r.get("metrics") else ""), fmt(r.get("apply_s")), rng(r.get("apply_s_range")), fmt(r.get("rss_mb"), 1), fmt(r.get("hwm_mb"), 1),
            fmt(r.get("restore_s")), rng(r.get("restore_s_range")),
            fmt(r.get("restore_rss_mb"), 1), fmt(r.get("restore_hwm_mb"), 1), fmt(r.get("db_mb"), 1),
            "; ".join(r.get("errors") or [])))
    return "\n".join(out)


def targets(det, start, lat, sc, fl):
    out = ["| target | measured | met |", "|---|---|---|"]
    stock = [r for r in det if r["tool"] == "warden (stock filter)"]
    if stock:
        worst = min(stock, key=lambda r: r.get("vs_f2b_wall") or 0)
        out.append("| `warden test` >= 100x faster than fail2ban-regex (wall, every log) | worst %s: %sx; best %sx (CPU time: worst %sx, best %sx) | %s |" % (
            worst["case"], fmt(worst.get("vs_f2b_wall"), 1), fmt(max(r.get("vs_f2b_wall") or 0 for r in stock), 1),
            fmt(min(r.get("vs_f2b_cpu") or 0 for r in stock), 1), fmt(max(r.get("vs_f2b_cpu") or 0 for r in stock), 1),
            "yes" if all((r.get("vs_f2b_wall") or 0) >= 100 for r in stock) else "no (needs %sx more on %s)" % (
                fmt(100 / (worst.get("vs_f2b_wall") or 1), 1), worst["case"])))
        own = [r for r in det if r["tool"] == "warden (own filter)" and r.get("vs_f2b_wall")]
        if own:
            low = min(own, key=lambda r: r["vs_f2b_wall"])
            out.append("| same, Warden's own filter of that name | worst %s: %sx; best %sx (CPU time: worst %sx, best %sx) | %s |" % (
                low["case"], fmt(low["vs_f2b_wall"], 1), fmt(max(r["vs_f2b_wall"] for r in own), 1),
                fmt(min(r.get("vs_f2b_cpu") or 0 for r in own), 1), fmt(max(r.get("vs_f2b_cpu") or 0 for r in own), 1),
                "yes" if all(r["vs_f2b_wall"] >= 100 for r in own) else "no (needs %sx more on %s)" % (
                    fmt(100 / low["vs_f2b_wall"], 1), low["case"])))
        same = all(r.get("counts_equal") for r in stock)
        out.append("| failure counts equal fail2ban-regex's | %s | %s |" % (
            ", ".join("%s %s" % (r["case"], "=" if r.get("counts_equal") else "DIFFERENT") for r in stock), "yes" if same else "**no**"))
        sshd = [r for r in stock if r.get("vs_sshg_wall") is not None and r["case"] in ("sshd", "sshd-iso")]
        if sshd:
            out.append("| faster than sshg-parser on the sshd log (wall; CPU in parentheses) | %s | %s |" % (
                ", ".join("%s %sx (%sx)" % (r["case"], fmt(r["vs_sshg_wall"], 2), fmt(r.get("vs_sshg_cpu"), 2)) for r in sshd),
                "yes" if all(r["vs_sshg_wall"] > 1 for r in sshd) else "no"))
    for r in start:
        if r["case"].startswith("warden"):
            out.append("| `%s` < 50 ms | %s ms | %s |" % (r["case"], fmt(r["median_ms"], 1),
                                                        "yes" if r["median_ms"] < 50 else "no (+%s ms)" % fmt(r["median_ms"] - 50, 1)))
    for r in lat:
        if r["tool"] == "warden run" and r.get("p99_ms") is not None:
            out.append("| ban latency p99 < 10 ms | p99 %s ms (p50 %s) | %s |" % (
                fmt(r["p99_ms"], 1), fmt(r["p50_ms"], 1), "yes" if r["p99_ms"] < 10 else "no (+%s ms)" % fmt(r["p99_ms"] - 10, 1)))
    for r in sc:
        if r["bans"] == 100_000 and r.get("rss_mb") is not None:
            rss = max(r["rss_mb"], r.get("restore_rss_mb") or 0)
            out.append("| RSS < 50 MB with 100,000 bans | %s MB after apply, %s MB after restore | %s |" % (
                fmt(r["rss_mb"], 1), fmt(r.get("restore_rss_mb"), 1), "yes" if rss < 50 else "no (+%s MB)" % fmt(rss - 50, 1)))
    if fl and fl.get("p99_ms") is not None:
        out.append("| fleet: kernel a -> kernel c p99 < 200 ms | p99 %s ms (p50 %s) | %s |" % (
            fmt(fl["p99_ms"], 1), fmt(fl["p50_ms"], 1), "yes" if fl["p99_ms"] < 200 else "no (+%s ms)" % fmt(fl["p99_ms"] - 200, 1)))
        out.append("| fleet: 10,000 bans made on a reach b and c < 10 s | %s s | %s |" % (
            fmt(fl["burst_s_peers"]), "yes" if fl["burst_s_peers"] < 10 else "no (+%s s)" % fmt(fl["burst_s_peers"] - 10)))
        out.append("| fleet: each node's RSS < 60 MB (5 s after the 10,000 bans) | at most %s MB | %s |" % (
            fmt(fl["rss_mb_max"], 1), "yes" if fl["rss_mb_max"] < 60 else "no (+%s MB)" % fmt(fl["rss_mb_max"] - 60, 1)))
    return "\n".join(out)


def render(results_path):
    records = common.Results(os.path.dirname(results_path)).load()
    det = detection.summarize(records)
    start = startup.summarize(records)
    dae = daemon.summarize(records)
    lat = latency.summarize(records)
    sc = scale.summarize(records)
    fl = fleet.summarize(records)
    loads = [r["loadavg"][0] for r in records if r.get("loadavg")]
    parts = ["# Warden benchmark results", "",
             "%d measurements, %s to %s; load average (1 min) during the run: median %s, range %s-%s (2 cores)." % (
                 len(records), records[0]["at"] if records else "-", records[-1]["at"] if records else "-",
                 fmt(common.median(loads), 1), fmt(min(loads) if loads else None, 1), fmt(max(loads) if loads else None, 1)), ""]
    parts += ["## Targets", "", targets(det, start, lat, sc, fl), ""]
    if det:
        parts += ["## Detection (1,000,000-line logs; wall time includes process start)", "", detection_table(det), ""]
    if start:
        parts += ["## Start-up (hyperfine, warm cache)", "", startup_table(start), ""]
    if dae:
        parts += ["## Daemon", "", daemon_table(dae), ""]
    if lat:
        parts += ["## Ban latency (write() of the crossing line -> element in the kernel set)", "", latency_table(lat), ""]
    micro = [r for r in records if r.get("section") == "micro"]
    if micro:
        parts += ["## Micro-benchmarks (BenchmarkDotNet, JIT, `--job short`)", ""]
        for r in micro:
            # BenchmarkDotNet's GitHub exporter bolds each new parameter value and escapes quotes.
            parts += ["### " + r["case"], "", r["table"].replace("**", "").replace("&#39;", "'"), ""]
    rp = replay.table(records)
    if rp:
        parts += ["## Replay (1,000,000-line sshd log: replay, the daemon fed it live, fail2ban-server fed it live)", "", rp, ""]
    if sc:
        parts += ["## Scale (Warden; peers: see BASELINE.md, fail2ban needs one process per ban)", "", scale_table(sc), ""]
    ft = fleet.table(records)
    if ft:
        parts += ["## Fleet (three hosts and redis-server in namespaces)", "", ft, ""]
    return "\n".join(parts)
