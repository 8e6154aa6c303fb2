#!/usr/bin/env python3
"""The fastest rotation pace at which `warden run` loses nothing, per rotation style (issue 14).

For each style and pace, a fresh `warden run` (in a namespace of its own, root needed) follows an
empty log while this script appends sshd failure lines, one write(2) each, each from its own
address, and rotates the log every PACE lines, ROTATIONS times, never waiting for the daemon.
Afterwards the daemon's failure count must equal the lines written: fewer is lines lost, more is
lines read twice. Styles:

* rename: logrotate's default (`.N` shifted to `.N+1`, every generation kept, the log renamed to
  `.1`, a new one created); the writer goes on writing 20 lines to the renamed file, then reopens
  (a daemon between logrotate's rename and its HUP).
* copytruncate: copy to `.1` (generations kept and shifted), truncate in place; the writer keeps
  its descriptor (O_APPEND). Nothing is written between the copy and the truncation.
* delete: delete the log and create a new one; the writer reopens after 20 lines. What was written
  to a file deleted before Warden opened it is gone whatever Warden does.
* logrotate: Debian's `logrotate -f` with copytruncate, compress, delaycompress, rotate 5 (a
  generation is compressed at the rotation after the one that made it, and Warden reads the rest
  of it from the .gz; one more than 5 rotations old is deleted, and a reader that far behind
  cannot read it: "behind s" says how long Warden went on counting after the writer stopped).

    sudo python3 bench/scripts/rotation.py                     # all styles, paces 3000 .. 10 lines
    sudo python3 bench/scripts/rotation.py --styles rename --paces 300 100 --rotations 100
    sudo python3 bench/scripts/rotation.py --styles delete --paces 300 --pauses 0 10 50 100 250

Prints a table per style and, per style, the fastest pace with nothing lost and nothing doubled,
and the paces that lost lines.
"""
import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import daemons  # noqa: E402

STYLES = ["rename", "copytruncate", "delete", "logrotate"]
REOPEN_LAG = 20
LOGROTATE_CONF = "%s {\n    rotate 5\n    copytruncate\n    compress\n    delaycompress\n    missingok\n}\n"


class Writer:
    """Appends numbered sshd failures to `path` and rotates it in one of the STYLES."""

    def __init__(self, path, style, work):
        self.path, self.style, self.work = path, style, work
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.written = 0
        self.generations = 1
        self.reopen_in = -1
        if style == "logrotate":
            self.conf = os.path.join(work, "logrotate.conf")
            self.state = os.path.join(work, "logrotate.state")
            with open(self.conf, "w") as f:
                f.write(LOGROTATE_CONF % path)

    def write(self, n):
        stamp = time.strftime("%b %e %H:%M:%S").encode()
        for _ in range(n):
            if self.reopen_in == 0:
                os.close(self.fd)
                self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                self.reopen_in = -1
            elif self.reopen_in > 0:
                self.reopen_in -= 1
            i = self.written
            os.write(self.fd, b"%s bench sshd[42]: Failed password for root from 10.%d.%d.%d port 22 ssh2\n"
                     % (stamp, (i >> 16) & 255, (i >> 8) & 255, i & 255))
            self.written += 1

    def rotate(self):
        p = self.path
        if self.style in ("rename", "copytruncate"):
            for k in range(self.generations - 1, 0, -1):
                os.rename("%s.%d" % (p, k), "%s.%d" % (p, k + 1))
            self.generations += 1
        if self.style == "rename":
            os.rename(p, p + ".1")
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT, 0o644))
            self.reopen_in = REOPEN_LAG
        elif self.style == "copytruncate":
            shutil.copyfile(p, p + ".1")
            os.truncate(p, 0)
        elif self.style == "delete":
            os.unlink(p)
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT, 0o644))
            self.reopen_in = REOPEN_LAG
        else:
            subprocess.run(["logrotate", "-f", "-s", self.state, self.conf], check=True)

    def close(self):
        os.close(self.fd)


def one(style, pace, rotations, pause=0.0):
    """One run; returns (written, failures counted, gaps reported, ms per rotation, seconds counted after the writer stopped)."""
    with daemons.Netns("wbench-rot") as ns:
        work = tempfile.mkdtemp(prefix="wbench-rotation-")
        log_path = os.path.join(work, "auth.log")
        open(log_path, "w").close()
        # Every line fails once from its own address: nothing reaches maxretry, nothing is banned.
        w = daemons.Warden(ns, log_path)
        try:
            w.start()
            writer = Writer(log_path, style, work)
            t0 = time.perf_counter()
            for _ in range(rotations):
                writer.write(pace)
                writer.rotate()
                if pause:
                    # Time between rotations, not a wait for the reader: the writer writes on
                    # only after it, whatever Warden did meanwhile.
                    time.sleep(pause)
            writer.write(pace)
            done = time.perf_counter()
            elapsed = done - t0
            writer.close()
            counted, last, changed = -1, None, time.perf_counter()
            while True:
                try:
                    st = w.status()
                except (OSError, http.client.HTTPException) as e:
                    # The API answers from the engine's loop, busy with a burst: ask again.
                    if time.perf_counter() - changed > 60:
                        raise RuntimeError("warden run does not answer: %s %s" % (e, w.tail()))
                    time.sleep(0.1)
                    continue
                counted = st["jails"][0]["failures"]
                if counted != last:
                    last, changed = counted, time.perf_counter()
                # Done when every line is counted (and a little more, to see doubles), or when the
                # count stopped moving for 3 s (lines lost, or a RotateWait of 5 s still running).
                if counted >= writer.written and time.perf_counter() - changed > 0.5:
                    break
                if time.perf_counter() - changed > 6:
                    break
                time.sleep(0.05)
            gaps = sum(s.get("lost", 0) for s in st.get("sources", []))
            # How long Warden went on counting after the writer stopped: how far behind it was.
            # logrotate keeps 5 generations; a reader more than 5 rotations behind finds the
            # oldest unread ones deleted, which no reader can read.
            behind = max(0.0, changed - done)
            return writer.written, counted, gaps, 1000 * elapsed / rotations, behind
        finally:
            w.cleanup()
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--styles", nargs="*", default=STYLES, choices=STYLES)
    ap.add_argument("--paces", nargs="*", type=int, default=[3000, 1000, 300, 100, 30, 10],
                    help="lines written between two rotations, slowest first")
    ap.add_argument("--rotations", type=int, default=50)
    ap.add_argument("--pauses", nargs="*", type=float, default=[0],
                    help="milliseconds the writer sleeps after each rotation (each pace is run with each pause)")
    a = ap.parse_args()
    common.need_root()
    common.ensure_warden()
    if "logrotate" in a.styles and not common.have("logrotate"):
        common.die("logrotate is not installed (apt-get install logrotate, or .ci/deps)")
    summary = []
    for style in a.styles:
        print("\n%s, %d rotations per run" % (style, a.rotations))
        print("%8s %8s %11s %10s %10s %8s %8s %6s %9s" % ("pace", "pause", "ms/rotation", "written", "counted", "lost", "twice", "gaps", "behind s"))
        ok, failed = [], []
        for pause in a.pauses:
            for pace in a.paces:
                written, counted, gaps, ms, behind = one(style, pace, a.rotations, pause / 1000.0)
                lost, twice = max(0, written - counted), max(0, counted - written)
                # At a pace under the reopen lag the writer never moves to the new file: every
                # line goes to the first one, which Warden holds open. Shown, but proves nothing.
                moot = style in ("rename", "delete") and pace <= REOPEN_LAG
                print("%8d %8g %11.2f %10d %10d %8d %8d %6d %9.2f%s" % (pace, pause, ms, written, counted, lost, twice, gaps, behind,
                                                                     "  (the writer never reopened)" if moot else ""), flush=True)
                if not moot:
                    (ok if lost == 0 and twice == 0 else failed).append((pace, ms, lost, twice, gaps, behind))
        line = "%-13s " % style
        if ok:
            pace, ms = min(((p, m) for p, m, *_ in ok), key=lambda r: r[1])
            line += "fastest pace with nothing lost: a rotation every %d lines (%.2f ms)" % (pace, ms)
        else:
            line += "lines lost at every pace tried"
        for pace, ms, lost, twice, gaps, behind in failed:
            line += "; every %d lines (%.2f ms): %d lost, %d twice, %d gaps, %.2f s behind" % (pace, ms, lost, twice, gaps, behind)
        summary.append(line)
    print("\nfastest rotation pace with nothing lost (a writer that never waits, %s):" % time.strftime("%Y-%m-%d"))
    for line in summary:
        print("  " + line)


if __name__ == "__main__":
    main()
