"""Shared helpers for Warden's benchmark scripts: paths, timed runs, medians, results files.

Everything here is plain Python 3 (Debian's python3), no third-party modules.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
WARDEN = os.path.join(REPO, ".build", "warden")
GENLOG_FROM_ROOT = os.path.join("..", "shared", "bench", "genlog.py")
DEFAULT_LOGS = "/tmp/warden-bench/logs"
STOCK_FILTERS = "/etc/fail2ban/filter.d"
SSHG_PARSER = "/usr/libexec/sshguard/sshg-parser"

# The four genlog logs (name, genlog arguments); 1,000,000 lines each, deterministic.
LOGS = {
    "auth.log": ["--kind", "sshd", "--format", "syslog"],
    "auth-iso.log": ["--kind", "sshd", "--format", "iso"],
    "access.log": ["--kind", "nginx"],
    "mail.log": ["--kind", "mail", "--format", "syslog"],
}


def log(msg):
    sys.stderr.write(time.strftime("[%H:%M:%S] ") + msg + "\n")
    sys.stderr.flush()


def die(msg):
    sys.stderr.write("bench: " + msg + "\n")
    sys.exit(2)


def main_checkout():
    """The project root of the main checkout: REPO itself, or for a git worktree the checkout it belongs to."""
    try:
        common = subprocess.run(["git", "-C", REPO, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return REPO
    return os.path.dirname(common) if os.path.basename(common) == ".git" else REPO


def genlog_path():
    """genlog.py from WARDEN_BENCH_GENLOG, else ../shared/bench/genlog.py beside the project root
    (of the main checkout, for a worktree); a clear error if absent."""
    path = os.environ.get("WARDEN_BENCH_GENLOG")
    if path is None:
        candidates = [os.path.normpath(os.path.join(root, GENLOG_FROM_ROOT)) for root in dict.fromkeys([REPO, main_checkout()])]
        path = next((c for c in candidates if os.path.isfile(c)), candidates[0])
    if not os.path.isfile(path):
        die("genlog.py not found at %s; set WARDEN_BENCH_GENLOG=/path/to/genlog.py "
            "(the log generator of the shared benchmark material, ../shared/bench beside the project root)" % path)
    return path


def logs_dir():
    return os.environ.get("WARDEN_BENCH_LOGS", DEFAULT_LOGS)


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        for buf in iter(lambda: f.read(1 << 20), b""):
            n += buf.count(b"\n")
    return n


def ensure_logs(lines=1_000_000):
    """Generates the logs once (deterministic, ~4 s each on an idle core); returns the directory."""
    d = logs_dir()
    os.makedirs(d, exist_ok=True)
    gen = None
    for name, args in LOGS.items():
        path = os.path.join(d, name)
        if os.path.exists(path) and os.path.exists(path + ".expect.json"):
            with open(path + ".expect.json") as f:
                if json.load(f).get("lines") == lines:
                    continue
        gen = gen or genlog_path()
        log("generating %s (%d lines) with %s" % (path, lines, gen))
        subprocess.run([sys.executable, gen] + args + ["--lines", str(lines), "--out", path], check=True,
                       stdout=subprocess.DEVNULL)
    return d


def expect(log_path):
    with open(log_path + ".expect.json") as f:
        return json.load(f)


def ensure_warden():
    """Builds the Native AOT binary through the ./warden launcher when the sources changed."""
    subprocess.run([os.path.join(REPO, "warden"), "version"], check=True, stdout=subprocess.DEVNULL)
    return WARDEN


def timed(argv, stdin_path=None, out_path=None, env=None, cwd=None, timeout=None):
    """Runs argv under /usr/bin/time; returns wall (perf_counter, s), user/sys CPU (s), peak RSS (MB), exit code."""
    tfile = tempfile.NamedTemporaryFile(prefix="wbench-time-", delete=False)
    tfile.close()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    stdout = open(out_path, "wb") if out_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-o", tfile.name, "-f", "%e %U %S %M %x"] + argv,
                           stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd, timeout=timeout)
        wall = time.perf_counter() - t0
    finally:
        if stdin_path:
            stdin.close()
        if out_path:
            stdout.close()
    with open(tfile.name) as f:
        fields = f.read().split()
    os.unlink(tfile.name)
    # time(1) prints "Command exited with non-zero status N" first on failure; the numbers are last.
    e, u, s, m, x = fields[-5:]
    return {"wall_s": round(wall, 4), "user_s": float(u), "sys_s": float(s), "rss_mb": round(int(m) / 1024.0, 1),
            "exit": int(x), "stderr": p.stderr.decode(errors="replace")[-2000:]}


def run_quiet(argv):
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode:
        die("%s failed: %s" % (" ".join(argv), p.stderr.decode(errors="replace")[-1000:]))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    return (min(values), max(values)) if values else (None, None)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Results:
    """Appends one JSON object per measurement to OUT/results.jsonl."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        self.path = os.path.join(out_dir, "results.jsonl")

    def add(self, record):
        record = dict(record)
        record.setdefault("at", time.strftime("%Y-%m-%dT%H:%M:%S"))
        record.setdefault("loadavg", loadavg())
        with open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")
        return record

    def load(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            return [json.loads(line) for line in f if line.strip()]


def need_root():
    if os.geteuid() != 0:
        die("this section needs root (network namespaces, nftables); run with sudo")


def have(cmd):
    return shutil.which(cmd) is not None or os.path.exists(cmd)
