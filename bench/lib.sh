# Shared helpers of Warden's bench scripts: a private network namespace and a warden daemon in it.
# Sourced, not run. Needs root (ip netns); nothing touches the machine's own firewall.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.build/warden"

# build_warden: the Native AOT binary, built by the ./warden launcher when sources changed (not timed).
build_warden() {
  "$root/warden" version >/dev/null
}

# setup_work NAME: a temp dir with etc/, log/auth.log, and a namespace; both removed on exit.
setup_work() {
  work="$(mktemp -d "/tmp/warden-$1.XXXXXX")"
  ns="wb$1$$"
  ns="${ns:0:15}"
  mkdir -p "$work/etc" "$work/log"
  : >"$work/log/auth.log"
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  pid=""
  trap cleanup EXIT
}

cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  [[ -n "${KEEP:-}" ]] && echo "kept $work" >&2 || rm -rf "$work"
}

# write_config JAIL_OPTIONS...: warden.conf (state, socket in $work) and a jail.local for sshd.
write_config() {
  cat >"$work/etc/warden.conf" <<CONF
[warden]
firewall = nftables
state = $work/warden.db

[api]
socket = $work/warden.sock
CONF
  {
    printf '[sshd]\nenabled = true\nfilter = sshd\nport = ssh\nlogpath = %s\n' "$work/log/auth.log"
    printf '%s\n' "$@"
  } >"$work/etc/jail.local"
}

# start_warden: runs the daemon in the namespace, waits until its API listens; sets $pid.
start_warden() {
  ip netns exec "$ns" "$bin" run --config-dir "$work/etc" --log-level info >"$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 6000); do
    grep -q "Admin API listening" "$work/run.log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/run.log" >&2; return 1; }
    sleep 0.005
  done
  echo "warden did not start in 30 s" >&2
  cat "$work/run.log" >&2
  return 1
}

stop_warden() {
  kill -TERM "$pid"
  wait "$pid" || true
  pid=""
}

# rss_kb PID FIELD: VmRSS or VmHWM of a process, in kB.
rss_kb() {
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
