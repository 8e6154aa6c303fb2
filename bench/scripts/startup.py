"""Start-up: wall time of short commands with hyperfine (warm page cache, median of many runs).

Warden: the Native AOT `warden version`, and `warden check` on the example sshd configuration and
on a configuration with one jail per filter Warden ships. Peers: `fail2ban-client -V` (the Python
client's start) and `fail2ban-client -t` (fail2ban's configuration test, the counterpart of
`warden check`), `sshguard -v`.
"""
import json
import os
import tempfile

import common

JAILS = """[DEFAULT]
ignoreip = 127.0.0.1/8 ::1
maxretry = 3
findtime = 10m
bantime = 1h

[sshd]
enabled = true
logpath = {d}/auth.log

[postfix-sasl]
enabled = true
filter = postfix[mode=auth]
logpath = {d}/mail.log

[dovecot]
enabled = true
logpath = {d}/mail.log

[nginx-botsearch]
enabled = true
logpath = {d}/access.log

[nginx-http-auth]
enabled = true
logpath = {d}/error.log

[recidive]
enabled = true
logpath = {d}/warden.log
"""


def configs():
    d = tempfile.mkdtemp(prefix="wbench-check-")
    for name in ("auth.log", "mail.log", "access.log", "error.log", "warden.log"):
        open(os.path.join(d, name), "w").close()
    with open(os.path.join(d, "jail.local"), "w") as f:
        f.write(JAILS.format(d=d))
    with open(os.path.join(d, "warden.conf"), "w") as f:
        f.write("[warden]\nstate = %s/warden.db\n" % d)
    return d


def run(results, runs=30):
    if not common.have("hyperfine"):
        common.die("hyperfine is needed (apt-get install hyperfine)")
    common.ensure_warden()
    many = configs()
    example = os.path.join(common.REPO, "examples", "sshd")
    cmds = [
        ("warden version", [common.WARDEN, "version"]),
        ("warden check (example: 1 jail, sshd)", [common.WARDEN, "check", "--config-dir", example]),
        ("warden check (6 jails, all own filters)", [common.WARDEN, "check", "--config-dir", many]),
    ]
    if common.have("fail2ban-client"):
        cmds.append(("fail2ban-client -V", ["fail2ban-client", "-V"]))
        cmds.append(("fail2ban-client -t (Debian config)", ["fail2ban-client", "-t"]))
    if common.have("sshguard"):
        cmds.append(("sshguard -v", ["sshguard", "-v"]))
    for name, argv in cmds:
        out = tempfile.NamedTemporaryFile(prefix="wbench-hf-", suffix=".json", delete=False).name
        line = " ".join("'" + a + "'" if " " in a else a for a in argv)
        common.run_quiet(["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "-i", "--export-json", out, line])
        with open(out) as f:
            res = json.load(f)["results"][0]
        os.unlink(out)
        rss = common.timed(argv)["rss_mb"]
        rec = results.add({"section": "startup", "case": name, "cmd": line, "median_ms": res["median"] * 1000,
                           "mean_ms": res["mean"] * 1000, "min_ms": res["min"] * 1000, "max_ms": res["max"] * 1000,
                           "runs": len(res["times"]), "rss_mb": rss})
        common.log("startup %-45s median %.1f ms (min %.1f)" % (name, rec["median_ms"], rec["min_ms"]))


def summarize(records):
    rows = {}
    for r in records:
        if r.get("section") == "startup":
            rows.setdefault(r["case"], []).append(r)
    return [{"case": k, "median_ms": common.median([r["median_ms"] for r in v]),
             "min_ms": min(r["min_ms"] for r in v), "rss_mb": common.median([r["rss_mb"] for r in v]),
             "runs": sum(r["runs"] for r in v), "cmd": v[0]["cmd"]} for k, v in rows.items()]
