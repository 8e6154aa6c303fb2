#!/usr/bin/env bash
# Memory benchmark (issue 4): a flood of N (default 1,000,000) distinct addresses, each failing
# once (maxretry 5, so none is banned), written to the sshd log of a `warden run` in a private
# network namespace. Prints resident memory (VmRSS/VmHWM) and the managed heap before, after the
# flood, after a second flood of N other addresses, and after findtime has evicted the trackers:
# memory is bounded by findtime and the tracker capacity (1,000,000 addresses per jail), not by
# how many addresses ever failed. The managed heap figure includes garbage not yet collected.
# Needs root; creates and deletes its own namespace and temp dir.
set -euo pipefail
n="${1:-1000000}"
findtime="${2:-300}"
source "$(dirname "$0")/lib.sh"
build_warden
setup_work flood
write_config "maxretry = 5" "findtime = ${findtime}s" "bantime = 1h"
start_warden

status() { "$bin" status --socket "$work/warden.sock"; }
field() { status | sed -n "$1"; }
report() {
  local heap tracked
  heap=$(status | sed -n 's/.*resident, \([0-9.]*\) MiB managed heap/\1/p')
  tracked=$(status | awk '$1 == "sshd" { print $3 }')
  printf '%-32s VmRSS %7.1f MiB  VmHWM %7.1f MiB  managed heap %7.1f MiB  tracked addresses %8d\n' \
    "$1" "$(echo "$(rss_kb "$pid" VmRSS) / 1024" | bc -l)" "$(echo "$(rss_kb "$pid" VmHWM) / 1024" | bc -l)" "$heap" "$tracked"
}

# flood OFFSET: N sshd failure lines, current timestamps, addresses OFFSET..OFFSET+N-1 (all distinct).
flood() {
  python3 - "$n" "$1" >>"$work/log/auth.log" <<'PY'
import datetime, sys
n, offset = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
for k in range(offset, offset + n):
    if k % 1000 == 0:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    a = 0x0A000000 + k  # 10.0.0.0 upwards: distinct addresses
    ip = f"{a >> 24 & 255}.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255}"
    out.write(f"{stamp} srv1 sshd[4242]: Failed password for invalid user admin from {ip} port 22 ssh2\n")
PY
}

lines_read() { status | sed -n 's/.*; \([0-9]*\) lines read;.*/\1/p'; }
wait_lines() {
  local want=$1 t0=$SECONDS
  until [[ "$(lines_read)" -ge "$want" ]]; do
    sleep 1
    ((SECONDS - t0 < 900)) || { echo "only $(lines_read) of $want lines read" >&2; exit 1; }
  done
}

report "idle"
t0=$(date +%s)
flood 0
wait_lines "$n"
printf 'first flood: %d lines read in %d s\n' "$n" "$(($(date +%s) - t0))"
report "after flood 1 ($n addresses)"
t0=$(date +%s)
flood "$n"
wait_lines $((2 * n))
printf 'second flood: %d lines read in %d s\n' "$n" "$(($(date +%s) - t0))"
report "after flood 2 ($n new addresses)"
sleep $((findtime + 15))
report "after findtime (evicted)"
