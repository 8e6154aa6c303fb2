"""The peers as daemons: fail2ban-server (Debian's, stock filters and actions) and sshguard's
pipeline (sshg-logtail | sshg-parser | sshg-blocker | sshg-fw-nft-sets), both inside a namespace
of ours, configured in a temporary directory (the host's /etc is only read).
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

import common

F2B_CONF = """[Definition]
loglevel = NOTICE
logtarget = {root}/fail2ban.log
syslogsocket = auto
socket = {root}/fail2ban.sock
pidfile = {root}/fail2ban.pid
dbfile = {root}/fail2ban.sqlite3
dbpurgeage = 90d
"""

F2B_JAIL = """[INCLUDES]
before = paths-debian.conf
[DEFAULT]
ignoreip = 127.0.0.1/8 ::1
bantime = {bantime}
findtime = {findtime}
maxretry = {maxretry}
backend = {backend}
usedns = no
logencoding = utf-8
protocol = tcp
chain = INPUT
port = 0:65535
banaction = nftables-multiport
banaction_allports = nftables-allports
[sshd]
enabled = true
filter = sshd
port = ssh
logpath = {log}
action = {action}
"""


class Fail2ban:
    """fail2ban-server through `fail2ban-client -x start`, in the namespace when it bans with nftables."""

    def __init__(self, ns, log_path, action="nftables", maxretry=5, findtime="365d", bantime="365d", backend="auto"):
        self.ns = ns
        self.root = tempfile.mkdtemp(prefix="wbench-f2b-")
        etc = os.path.join(self.root, "etc")
        os.makedirs(etc)
        for d in ("filter.d", "action.d"):
            os.symlink("/etc/fail2ban/" + d, os.path.join(etc, d))
        for f in ("paths-common.conf", "paths-debian.conf"):
            shutil.copy("/etc/fail2ban/" + f, os.path.join(etc, f))
        act = "" if action == "none" else 'nftables[type=multiport, name=sshd, port="ssh", protocol="tcp"]'
        with open(os.path.join(etc, "fail2ban.conf"), "w") as f:
            f.write(F2B_CONF.format(root=self.root))
        with open(os.path.join(etc, "jail.conf"), "w") as f:
            f.write(F2B_JAIL.format(log=log_path, action=act, maxretry=maxretry, findtime=findtime,
                                    bantime=bantime, backend=backend))
        self.etc = etc
        self.pid = None

    def client(self, *args):
        return subprocess.run(self.ns.prefix() + ["fail2ban-client", "-c", self.etc] + list(args),
                              capture_output=True, text=True)

    def start(self):
        p = self.client("-x", "start")
        if p.returncode:
            raise RuntimeError("fail2ban-client start: " + p.stdout + p.stderr)
        for _ in range(200):
            if os.path.exists(os.path.join(self.root, "fail2ban.pid")):
                break
            time.sleep(0.05)
        self.pid = int(open(os.path.join(self.root, "fail2ban.pid")).read().strip())
        for _ in range(200):
            if self.client("ping").returncode == 0:
                return self
            time.sleep(0.1)
        raise RuntimeError("fail2ban-server does not answer")

    def counts(self):
        out = self.client("status", "sshd").stdout
        f = re.search(r"Total failed:\s+(\d+)", out)
        b = re.search(r"Total banned:\s+(\d+)", out)
        return (int(f.group(1)) if f else None, int(b.group(1)) if b else None)

    def stop(self):
        self.client("stop")
        shutil.rmtree(self.root, ignore_errors=True)


class Sshguard:
    """sshguard 2.4's pipeline as /usr/sbin/sshguard builds it, with the nft-sets backend, in the namespace."""

    def __init__(self, ns, log_path, threshold=30, block_time=3600, detection_time=86400):
        self.ns = ns
        lib = "/usr/libexec/sshguard"
        pipeline = ("%s/sshg-logtail %s | %s/sshg-parser | %s/sshg-blocker -a %d -p %d -s %d | %s/sshg-fw-nft-sets"
                    % (lib, log_path, lib, lib, threshold, block_time, detection_time, lib))
        self.proc = subprocess.Popen(ns.prefix() + ["sh", "-c", pipeline], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(1.0)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        try:
            os.killpg(self.proc.pid, 15)
        except ProcessLookupError:
            pass
        self.proc.wait()


def available():
    return {"fail2ban": common.have("fail2ban-client"), "sshguard": os.path.exists("/usr/libexec/sshguard/sshg-blocker")}
