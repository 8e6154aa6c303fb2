#!/usr/bin/env bash
# Fuzzes Warden's parsers of untrusted input with AFL++ and SharpFuzz.
#   tests/Warden.Fuzz/run.sh TARGET|all [SECONDS]   (SECONDS per target, default 60)
# Publishes tests/Warden.Fuzz, instruments the assemblies under test with the SharpFuzz tool of
# .config/dotnet-tools.json, runs afl-fuzz (Debian's afl++) for SECONDS per target from the seeds
# in corpus/TARGET, and prints per target: run time, executions, executions per second, crashes
# and hangs (from afl's fuzzer_stats). Crashing and hanging inputs are copied to crashers/TARGET/;
# the exit status is 1 when any target found one. Work files go to $WARDEN_FUZZ_WORK (a temp dir).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
targets=(ini jail regex date kernel pf nflog journal api)
which="${1:?usage: run.sh TARGET|all [SECONDS]; targets: ${targets[*]}}"
seconds="${2:-60}"
if [[ $which == all ]]; then selected=("${targets[@]}"); else selected=("$which"); fi
for t in "${selected[@]}"; do
  [[ " ${targets[*]} " == *" $t "* ]] || { echo "unknown target '$t'; targets: ${targets[*]}" >&2; exit 2; }
done
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

work="${WARDEN_FUZZ_WORK:-$(mktemp -d /tmp/warden-fuzz.XXXXXX)}"
mkdir -p "$work"
out="$work/bin"
rm -rf "$out"
cd "$root"
dotnet tool restore >/dev/null
dotnet publish tests/Warden.Fuzz -c Release -o "$out" --nologo -v:q -p:UseAppHost=true >/dev/null
# The assemblies whose parsers are under test; SharpFuzz adds AFL's edge coverage to their IL.
for assembly in Warden.Core Warden.Fail2Ban Warden.Sources Warden.Sources.Firewall Warden.Web; do
  dotnet sharpfuzz "$out/$assembly.dll" >/dev/null
done

# The container has no CPU governor to read and no core_pattern to set; the binary is a .NET
# apphost whose coverage map comes from the instrumented IL, not from afl's compiler.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=30000 DOTNET_TieredPGO=0
found=0
printf '%-8s %8s %12s %10s %8s %6s\n' target seconds executions execs/s crashes hangs > "$work/summary"
for t in "${selected[@]}"; do
  seeds="$work/seeds/$t"
  rm -rf "$seeds" "$work/findings/$t"
  mkdir -p "$work/findings"
  mkdir -p "$seeds"
  cp "$here/corpus/$t"/* "$seeds/"
  # fail2ban's own files seed the INI and jail targets when Debian's fail2ban is installed;
  # they are read here, never copied into the repository.
  if [[ $t == ini || $t == jail ]] && [[ -d /etc/fail2ban ]]; then
    # The first 20 small files, without a pipe into head (its SIGPIPE fails the script under pipefail).
    mapfile -t f2b < <(find /etc/fail2ban -name '*.conf' -size -4k | sort)
    for f in "${f2b[@]:0:20}"; do cp "$f" "$seeds/f2b-$(basename "$f")"; done
  fi
  # -t: a parser input taking over 2 s is a hang (the first inputs pay for the JIT).
  afl-fuzz -i "$seeds" -o "$work/findings/$t" -t 2000 -m none -V "$seconds" -- "$out/Warden.Fuzz" "$t" \
    > "$work/afl-$t.log" 2>&1 || { echo "afl-fuzz failed for $t; see $work/afl-$t.log" >&2; tail -n 20 "$work/afl-$t.log" >&2; found=1; continue; }
  stats="$work/findings/$t/default/fuzzer_stats"
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  start=$(stat start_time) last=$(stat last_update) execs=$(stat execs_done)
  crashes=$(stat saved_crashes) hangs=$(stat saved_hangs)
  elapsed=$((last - start))
  rate=$(awk -v e="$execs" -v s="$elapsed" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')
  printf '%-8s %8s %12s %10s %8s %6s\n' "$t" "$elapsed" "$execs" "$rate" "$crashes" "$hangs" >> "$work/summary"
  if ((crashes + hangs > 0)); then
    found=1
    mkdir -p "$here/crashers/$t"
    for f in "$work/findings/$t/default"/{crashes,hangs}/id*; do
      [[ -e $f ]] && cp "$f" "$here/crashers/$t/$(basename "$(dirname "$f")")-$(sha1sum "$f" | cut -c1-12)"
    done
  fi
done
cat "$work/summary"
if ((found)); then
  echo "crashing inputs are in $here/crashers/ (replay one: WARDEN_FUZZ_REPLAY=FILE $out/Warden.Fuzz TARGET)" >&2
  exit 1
fi
