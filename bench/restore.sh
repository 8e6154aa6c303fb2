#!/usr/bin/env bash
# Restore benchmark (issue 4): N stored bans (default 100,000) are back in the kernel firewall
# after a start. Seeds Warden's SQLite state with N unexpired bans, starts `warden run` in a
# private network namespace and prints the time from process start to "Warden started" (bans
# loaded from SQLite and applied in one nftables transaction), then checks the kernel set.
# Needs root; creates and deletes its own namespace and temp dir.
set -euo pipefail
n="${1:-100000}"
source "$(dirname "$0")/lib.sh"
build_warden
setup_work restore
write_config "bantime = 1d"

# A first start creates the database schema; then the bans are written in one transaction.
start_warden
stop_warden
now_ms=$(($(date +%s) * 1000))
sqlite3 "$work/warden.db" <<SQL
BEGIN;
WITH RECURSIVE i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k < $n - 1)
INSERT INTO bans (jail, target, start, expires, origin, failures)
SELECT 'sshd', '10.' || (k / 65536) || '.' || ((k / 256) % 256) || '.' || (k % 256) || '/32',
       $now_ms, $now_ms + 86400000, 'Jail', 5 FROM i;
COMMIT;
SQL

t0=$(date +%s%N)
start_warden
t1=$(date -d "$(grep -m1 'Warden started' "$work/run.log" | cut -c1-23)" +%s%N)
in_kernel=$(ip netns exec "$ns" nft -j list set inet warden sshd_h4 |
  python3 -c 'import json,sys; s=[x["set"] for x in json.load(sys.stdin)["nftables"] if "set" in x][0]; print(len(s.get("elem", [])))')
apply_ms=$(grep -o 'applied with [0-9]* jails and [0-9]* bans in [0-9.,]* ms' "$work/run.log" | tail -1 || true)
load_ms=$(grep -o 'State loaded: .* ms' "$work/run.log" | tail -1 || true)
sleep 1
rss_mb=$(echo "$(rss_kb "$pid" VmRSS) / 1024" | bc -l)
hwm_mb=$(echo "$(rss_kb "$pid" VmHWM) / 1024" | bc -l)
stop_warden

printf 'stored bans:            %d\n' "$n"
printf 'bans in the kernel set: %d\n' "$in_kernel"
printf 'start to "Warden started" (process start, SQLite load, one nftables transaction): %.3f s\n' "$(echo "($t1 - $t0) / 1000000000" | bc -l)"
printf 'state store:            %s\n' "${load_ms:-?}"
printf 'nftables backend:       %s\n' "${apply_ms:-?}"
printf 'daemon memory:          VmRSS %.1f MiB, peak VmHWM %.1f MiB\n' "$rss_mb" "$hwm_mb"
printf 'machine load average:   %s (2 cores; figures scale with it)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
[[ "$in_kernel" -eq "$n" ]]
