# Sourced by the bench/ scripts: paths, a scratch directory, master start/stop, medians.
# Every master started through start_master is stopped (TERM, then QUIT, then KILL, by pid) on exit.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
einhorn=${EINHORN:-$root/bin/einhorn}  # EINHORN=path benchmarks another launcher
einhornsh=$root/bin/einhornsh
ehc=$root/bench/ehc.py
bench_name=${0##*/}

bdie() { echo "$bench_name: $*" >&2; exit 2; }
command -v python3 >/dev/null || bdie "python3 is needed"
# the real interpreter (a pyenv shim costs ~50 ms per start)
py=$(python3 -c 'import sys; print(sys.executable)')
[ -f "$root/lib/master/master-0.1.0.jar" ] || bdie "einhorn is not built; run $root/bin/build"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/einhorn-$bench_name.XXXXXX")
masters=()
stop_master() { # $1 = pid; TERM, wait up to 20 s, then QUIT, then KILL (this pid only)
  local pid=$1 i kids
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kids=$(pgrep -P "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -QUIT "$pid" 2>/dev/null || true; sleep 1; fi
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  # workers normally go with the master (TERM); any survivor is killed by its own pid
  for i in $kids; do kill -KILL "$i" 2>/dev/null || true; done
}
bench_cleanup() {
  local pid
  for pid in "${masters[@]}"; do stop_master "$pid"; done
  pkill_scratch
  if [ -n "${KEEP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
pkill_scratch() { # safety net: kill leftover processes whose argv mentions our own scratch dir, pid by pid
  local p
  for p in $(grep -l -F "$tmp" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [ "$p" != $$ ] && kill -KILL "$p" 2>/dev/null || true
  done
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# median of the arguments (numbers, possibly fractional)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "-" }'; }

# start_master DIR ARGS... : runs bin/einhorn with -d/-e/-f inside DIR (log DIR/log); sets $mpid
start_master() {
  local dir=$1; shift
  mkdir -p "$dir"
  "$einhorn" -d "$dir/s" -e "$dir/p" -f "$dir/l" "$@" 2>"$dir/log" &
  mpid=$!
  masters+=("$mpid")
}
ehc() { "$py" "$ehc" "$@"; }
# Whether the launchers will use an AOT cache (see bin/build): a cache older than any jar is ignored.
aot_status() { # $1 = cache, $2 = jar dir
  local j
  [ -n "${EINHORN_NO_AOT:-}" ] && { echo "off (EINHORN_NO_AOT)"; return; }
  [ -f "$1" ] || { echo "none"; return; }
  for j in "$2"/*.jar; do [ "$j" -nt "$1" ] && { echo "stale (ignored)"; return; }; done
  echo "used"
}
echo "[$bench_name] $(date -u +%FT%TZ); AOT cache: master $(aot_status "$root/lib/master.aot" "$root/lib/master"), shell $(aot_status "$root/lib/shell.aot" "$root/lib/shell"); $(nproc) CPUs"
