#!/usr/bin/env bash
# Warden's benchmark suite in one command: installs the peers (fail2ban, sshguard) and tools from
# apt when missing, builds the Native AOT binary, generates the logs, runs every section and prints
# the report. Usage: sudo bench/run.sh [SECTION...] [--reps N] [--no-peers] ...  (see bench/README.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $(id -u) -ne 0 ]]; then
  echo "bench/run.sh: run as root (network namespaces, nftables, apt): sudo $0 $*" >&2
  exit 2
fi

need=()
command -v fail2ban-regex >/dev/null || need+=(fail2ban)
[[ -x /usr/libexec/sshguard/sshg-parser ]] || need+=(sshguard)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v nft >/dev/null || need+=(nftables)
[[ -e /usr/lib/x86_64-linux-gnu/libnftables.so.1 || -e /usr/lib/aarch64-linux-gnu/libnftables.so.1 ]] || need+=(libnftables1)
command -v stdbuf >/dev/null || need+=(coreutils)
[[ -x /usr/bin/time ]] || need+=(time)
[[ -x /usr/bin/redis-server ]] || need+=(redis-server)
/usr/bin/python3 -c 'import systemd' 2>/dev/null || need+=(python3-systemd)
if ((${#need[@]})); then
  echo "bench/run.sh: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian starts the services it installs; the benchmark runs its own instances in namespaces.
for svc in fail2ban sshguard; do
  if [[ -x /etc/init.d/$svc ]] && pgrep -f "/usr/.*$svc" >/dev/null 2>&1; then
    echo "bench/run.sh: note: a system $svc is running; it competes for CPU with the measurements" >&2
  fi
done

exec python3 "$here/scripts/bench.py" "$@"
