"""Running daemons under test: a private network namespace, `warden run` with its admin API, and
fail2ban-server, plus /proc readings (CPU seconds, RSS) of a process.

Every firewall change happens inside a namespace created here and deleted on exit; nothing
touches the machine's own ruleset.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import common

CLK_TCK = os.sysconf("SC_CLK_TCK")


class Netns:
    """`ip netns add NAME` ... `ip netns del NAME` (a fresh, empty ruleset; loopback only)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        subprocess.run(["ip", "netns", "del", self.name], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        subprocess.run(["ip", "-n", self.name, "link", "set", "lo", "up"], check=True)
        return self

    def __exit__(self, *exc):
        subprocess.run(["ip", "netns", "del", self.name], stderr=subprocess.DEVNULL)

    def prefix(self):
        return ["ip", "netns", "exec", self.name]

    def nft(self, *args):
        return subprocess.run(self.prefix() + ["nft"] + list(args), capture_output=True, text=True)


def proc_cpu_seconds(pid):
    """User + system CPU seconds of a process and its reaped children."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime/stime/cutime/cstime are fields 14-17.
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


def proc_tree_cpu_seconds(pid):
    """CPU seconds of a process plus its live children (fail2ban's action shells, sshguard's pipeline)."""
    total = proc_cpu_seconds(pid)
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            for child in f.read().split():
                try:
                    total += proc_tree_cpu_seconds(int(child))
                except (FileNotFoundError, ProcessLookupError):
                    pass
    except FileNotFoundError:
        pass
    return total


def proc_memory_mb(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024.0
    return out.get("VmRSS"), out.get("VmHWM")


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


JAIL = """[DEFAULT]
ignoreip = 127.0.0.1/8 ::1
backend = auto

[{jail}]
enabled  = true
filter   = {filter}
logpath  = {log}
maxretry = {maxretry}
findtime = {findtime}
bantime  = {bantime}
"""


WEB_LISTEN = "127.0.0.1:9191"


class Warden:
    """`warden run` in a namespace, with its state, API socket and log in a temporary directory."""

    def __init__(self, ns, log_path, filter_name="sshd", stock_filters=False, maxretry=5, findtime="365d",
                 bantime="365d", jail="sshd", workdir=None, keep_state=False, web=False, extra_conf=""):
        self.ns = ns
        self.dir = workdir or tempfile.mkdtemp(prefix="wbench-warden-")
        self.log_path = log_path
        self.socket = os.path.join(self.dir, "api.sock")
        self.stdout_path = os.path.join(self.dir, "warden.out")
        if not keep_state:
            if stock_filters and not os.path.exists(os.path.join(self.dir, "filter.d")):
                # The name resolves in the config directory's filter.d first: fail2ban's own files.
                os.symlink(os.path.join(common.STOCK_FILTERS), os.path.join(self.dir, "filter.d"))
            with open(os.path.join(self.dir, "jail.local"), "w") as f:
                f.write(JAIL.format(jail=jail, filter=filter_name, log=log_path, maxretry=maxretry,
                                    findtime=findtime, bantime=bantime))
            with open(os.path.join(self.dir, "warden.conf"), "w") as f:
                f.write("[warden]\nfirewall = nftables\nstate = %s/warden.db\nignoreself = false\n\n[api]\nsocket = %s\n"
                        % (self.dir, self.socket))
                if web:
                    # The HTTP listener with /metrics (issue 15), on the namespace's loopback.
                    f.write("\n[web]\nlisten = %s\ntoken_file = %s/web.token\n" % (WEB_LISTEN, self.dir))
                # More sections (the fleet section's [fleet]).
                f.write(extra_conf)
        self.proc = None
        self.started_at = None

    def start(self, wait=True, timeout=120):
        out = open(self.stdout_path, "ab")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(self.ns.prefix() + [common.WARDEN, "run", "--config-dir", self.dir],
                                     stdout=out, stderr=subprocess.STDOUT)
        out.close()
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=120):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("warden run exited with %s: %s" % (self.proc.returncode, self.tail()))
            try:
                return self.status()
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)
        raise RuntimeError("warden run did not answer on %s within %d s: %s" % (self.socket, timeout, self.tail()))

    @property
    def pid(self):
        # `ip netns exec` execs the command: the pid is warden's own.
        return self.proc.pid

    def request(self, method, path, body=None):
        conn = _UnixConnection(self.socket)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json"} if body is not None else {})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status >= 400:
                raise RuntimeError("%s %s: %d %s" % (method, path, resp.status, data[:300]))
            return json.loads(data) if data else None
        finally:
            conn.close()

    def status(self):
        return self.request("GET", "/api/status")

    def lines(self):
        return self.status()["lines"]

    def scrape(self):
        """GET /metrics with the token, from inside the namespace, as Prometheus would; returns the body size."""
        with open(os.path.join(self.dir, "web.token")) as f:
            token = f.read().strip()
        out = subprocess.run(self.ns.prefix() + ["curl", "-sS", "--fail", "-H", "Authorization: Bearer " + token,
                                                 "http://%s/metrics" % WEB_LISTEN], capture_output=True, check=True)
        return len(out.stdout)

    def scrape_every(self, interval, stop):
        """Scrapes every `interval` seconds until the event `stop` is set; returns the list of sizes."""
        sizes = []
        while not stop.wait(interval):
            sizes.append(self.scrape())
        return sizes

    def stop(self, timeout=60):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def tail(self, n=2000):
        try:
            with open(self.stdout_path, errors="replace") as f:
                return f.read()[-n:]
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class NftMonitor:
    """`nft monitor` in a namespace; records the arrival time (perf_counter) of each added element."""

    def __init__(self, ns):
        self.proc = subprocess.Popen(ns.prefix() + ["stdbuf", "-oL", "nft", "monitor", "elements"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self.added = {}
        self.count = 0
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        time.sleep(0.3)

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            now = time.perf_counter()
            line = raw.decode(errors="replace")
            if not line.startswith("add element"):
                continue
            body = line[line.find("{") + 1:line.rfind("}")]
            for item in body.split(","):
                addr = item.strip().split(" ", 1)[0]
                if addr:
                    self.added.setdefault(addr, now)
                    self.count += 1

    def close(self):
        self.proc.terminate()
        self.proc.wait()
