#!/usr/bin/env bash
# scripts/bench/run.sh — `npm run bench`: cairn and restic (Debian's 0.14) side by side on
# the corpora of ../shared/bench, cold cache, in one run.
#
# For each corpus:
#   copy the corpus (cp -a) into a scratch dir, so the corpus itself stays pristine;
#   start a fresh cairnd (own state dir and socket, --listen none, default KDF) on an empty
#   repository, and `restic init` an empty one;
#   then, step by step, cairn first and restic next, each after `sync; drop_caches`:
#     backup1 of the copy · backup2 (nothing changed) · mutate-corpus.sh on the copy (once:
#     both tools see the same tree) · backup3 · restore latest into an empty dir (then,
#     untimed, benchlib.py verify against the copy) · check reading all data.
# cairn is driven by its CLI (`cairn --socket S --json backup|restore|check`), or by curl on
# the socket when the CLI is not usable (the output says which).
# Measured per step: wall and CPU seconds (/usr/bin/time -v; the daemon's CPU from
# /proc/PID/stat), MB/s as anchors.sh counts it (file bytes of the source; repository bytes
# for check), the daemon's peak RSS (VmHWM, reset with `echo 5 > clear_refs` before the
# step) and its peak RssAnon (sampled every 100 ms), the CLI's and restic's own max RSS,
# and `du -sb` of each repository (and of cairn's index / restic's cache) after the step.
#
# Usage: scripts/bench/run.sh [--quick] [--corpora "small-files mixed bigfile"] [--seed N]
#   --quick        small-files only (same as CORPORA=small-files)
# Environment (optional): BENCH_ROOT (default /tmp/bench; corpora in $BENCH_ROOT/corpus,
#   built there with make-corpus.sh when missing, which needs root), CORPORA, SEED (1),
#   BENCH_SHARED (default <checkout>/../shared/bench), CAIRN_BENCH_DRIVER=cli|curl.
# Output: one table per corpus on stdout; $BENCH_ROOT/results/cairn-<UTC time>.json and the
#   logs of every command in $BENCH_ROOT/results/cairn-<UTC time>/.
# Daemons, samplers and scratch data are removed on exit, Ctrl-C included.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH_ROOT=${BENCH_ROOT:-/tmp/bench}
BENCH_SHARED=${BENCH_SHARED:-$(cd "$ROOT/.." && pwd)/shared/bench}
CORPORA=${CORPORA:-"small-files mixed bigfile"}
SEED=${SEED:-1}
PY=/usr/bin/python3
NODE=$(command -v node)
# the V8 flags cairnd runs with, from its shebang line (`#!/usr/bin/env -S node FLAGS`)
CAIRND_FLAGS=$(sed -n '1s/^#!.*env -S node *//p' "$ROOT/bin/cairnd.cjs")
STEPS="backup1 backup2 backup3 restore check"

usage() { sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) CORPORA=small-files ;;
    --corpora) CORPORA=${2:?--corpora needs a list}; shift ;;
    --corpora=*) CORPORA=${1#*=} ;;
    --seed) SEED=${2:?--seed needs a number}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$BENCH_ROOT/results/cairn-$STAMP
JSON_OUT=$BENCH_ROOT/results/cairn-$STAMP.json
LOGS=$RESULTS/logs
TSV=$RESULTS/measurements.tsv
CORPUS_DIR=$BENCH_ROOT/corpus
PASSPHRASE=cairn-bench-passphrase
export LC_ALL=C.UTF-8

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RESULTS/run.log" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup (also on Ctrl-C)
SCRATCH="" DPID="" SPID="" CPID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$CPID" ]; then  # a timed command under /usr/bin/time: the command, then time
    kill -TERM $(pgrep -P "$CPID") "$CPID" 2>/dev/null
    wait "$CPID" 2>/dev/null
  fi
  if [ -n "$SPID" ]; then kill -TERM "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; fi
  stop_cairnd
  [ -n "$SCRATCH" ] && rm -rf "$SCRATCH"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- checks and set-up
[ -d "$BENCH_SHARED/lib" ] || { echo "run.sh: no shared bench at $BENCH_SHARED (set BENCH_SHARED)" >&2; exit 2; }
LIB=$BENCH_SHARED/lib/benchlib.py
[ -f "$ROOT/dist/daemon/main.js" ] || { echo "run.sh: no build in $ROOT/dist: run npm run bootstrap" >&2; exit 2; }
for tool in restic curl /usr/bin/time "$PY"; do
  command -v "$tool" >/dev/null || { echo "run.sh: needs $tool (npm run bootstrap installs it)" >&2; exit 2; }
done
mkdir -p "$LOGS" || exit 2
SCRATCH=$(mktemp -d "$BENCH_ROOT/cairn-bench.XXXXXX") || exit 2

for c in $CORPORA; do
  case "$c" in small-files|mixed|bigfile) ;; *) die "unknown corpus $c" ;; esac
  if [ ! -s "$CORPUS_DIR/$c.manifest.json" ] || [ ! -d "$CORPUS_DIR/$c" ]; then
    [ "$(id -u)" -eq 0 ] || die "corpus $c is missing; building it needs root: sudo $BENCH_SHARED/make-corpus.sh $CORPUS_DIR $c"
    log "building corpus $c (make-corpus.sh)"
    BENCH_ROOT=$BENCH_ROOT "$BENCH_SHARED/make-corpus.sh" "$CORPUS_DIR" "$c" >>"$RESULTS/run.log" 2>&1 \
      || die "make-corpus.sh $c failed (see $RESULTS/run.log)"
  fi
done

DROPPED=unknown
drop_caches() {
  sync
  if echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then DROPPED=yes; else DROPPED=no; fi
}
bytes_of() { if [ -e "$1" ]; then du -sb "$1" 2>/dev/null | cut -f1; else echo NA; fi; }
file_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d\n", s}'; }
json_str() { "$PY" -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
# utime+stime of a process and all its threads, in seconds
proc_cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz}' "/proc/$1/stat" 2>/dev/null || echo NA; }
time_field() { awk -F': ' -v k="$2" 'index($0, k) {print $2; exit}' "$1"; }
wall_of() {  # the Elapsed line of time -v, h:mm:ss or m:ss.cc, in seconds
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"
}

# ---------------------------------------------------------------- how cairn is driven
DRIVER=${CAIRN_BENCH_DRIVER:-}
if [ -z "$DRIVER" ]; then
  help=$(env -u NODE_OPTIONS "$NODE" "$ROOT/bin/cairn.cjs" --help 2>&1) && DRIVER=cli
  for cmd in backup restore check; do grep -q "^  $cmd " <<<"$help" || DRIVER=curl; done
fi
case "$DRIVER" in
  cli) CAIRN_DRIVER_NOTE="cairn CLI (bin/cairn.cjs --json)" ;;
  curl) CAIRN_DRIVER_NOTE="curl --unix-socket (the cairn CLI is not usable in this checkout)" ;;
  *) die "CAIRN_BENCH_DRIVER must be cli or curl" ;;
esac

# cairn_cmd STEP: the command line (in CMD) that runs STEP of cairn against the daemon
cairn_cmd() {
  if [ "$DRIVER" = cli ]; then
    local cli=(env -u NODE_OPTIONS "$NODE" "$ROOT/bin/cairn.cjs" --socket "$SOCK" --json)
    case "$1" in
      backup*) CMD=("${cli[@]}" backup "$SRC") ;;
      restore) CMD=("${cli[@]}" restore latest --target "$RESTORE") ;;
      check) CMD=("${cli[@]}" check --read-data) ;;
    esac
  else
    local curl=(curl -sS --fail-with-body --unix-socket "$SOCK" -H 'Content-Type: application/json')
    case "$1" in
      backup*) CMD=("${curl[@]}" -d "{\"source\": [$(json_str "$SRC")]}" http://cairn/api/snapshots/create) ;;
      restore) CMD=("${curl[@]}" -d "{\"destination\": $(json_str "$RESTORE"), \"paths\": []}" http://cairn/api/snapshots/latest/restore) ;;
      check) CMD=("${curl[@]}" -d '{"read_data": true}' http://cairn/api/repository/check) ;;
    esac
  fi
}

# ---------------------------------------------------------------- the daemon
start_cairnd() {
  local st=$SCRATCH/cairn-state
  mkdir -p "$st"
  drop_caches
  local t0; t0=$(date +%s.%N)
  env -u NODE_OPTIONS -u CAIRN_KDF_N -u CAIRN_PASSPHRASE_FILE CAIRN_PASSPHRASE="$PASSPHRASE" \
    XDG_CONFIG_HOME="$st/config" XDG_DATA_HOME="$st/data" XDG_RUNTIME_DIR="$st" \
    "$NODE" $CAIRND_FLAGS "$ROOT/bin/cairnd.cjs" --state-dir "$st" --socket "$SOCK" --listen none --repo "$CAIRN_REPO" \
    >"$LOGS/$CORPUS.cairnd.out" 2>"$LOGS/$CORPUS.cairnd.err" &
  DPID=$!
  local i
  for i in $(seq 1 1200); do
    grep -q '^cairnd ready' "$LOGS/$CORPUS.cairnd.out" 2>/dev/null && break
    kill -0 "$DPID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^cairnd ready' "$LOGS/$CORPUS.cairnd.out" 2>/dev/null; then
    log "cairnd did not start: $(tail -n 3 "$LOGS/$CORPUS.cairnd.err" | tr '\n' ' ')"
    stop_cairnd
    return 1
  fi
  local wall; wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
  local hwm; hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$DPID/status")
  local anon; anon=$(awk '/^RssAnon/ {print $2}' "/proc/$DPID/status")
  record cairn init "$wall" NA NA NA 0 0 "$(bytes_of "$CAIRN_REPO")" "$(bytes_of "$st")" \
    "$hwm" "$anon" NA "$(proc_cpu_s "$DPID")" 1 "$LOGS/$CORPUS.cairnd.out"
  log "$CORPUS cairn init (cairnd start, repository created, default KDF): ${wall}s, VmHWM ${hwm} kB"
}
stop_cairnd() {
  [ -n "$DPID" ] || return 0
  if kill -TERM "$DPID" 2>/dev/null; then
    local i
    for i in $(seq 1 150); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$DPID" 2>/dev/null
  fi
  wait "$DPID" 2>/dev/null
  DPID=""
}

# ---------------------------------------------------------------- measuring
# record TOOL STEP WALL USER SYS MAXRSS_KB RC BYTES_IN REPO_B CACHE_B HWM_KB ANON_KB RSS0_KB DCPU_S SAMPLES OUT
record() {
  local IFS=$'\t'
  printf '%s\t%s\t%s\n' "$CORPUS" "$*" "$DROPPED" >> "$TSV"
}

# measure TOOL STEP BYTES_IN CMD... — one timed step; for cairn, with the daemon's memory
measure() {
  local tool=$1 step=$2 bytes_in=$3; shift 3
  local id="$CORPUS.$tool.$step" hwm=NA anon=NA samples=NA dcpu=NA cpu0="" rss0=NA
  if [ "$tool" = cairn ]; then
    rm -f "$LOGS/$id.rss" "$LOGS/$id.rss.ready"
    "$PY" "$HERE/sample-rss.py" "$DPID" "$LOGS/$id.rss" & SPID=$!
    local i
    for i in $(seq 1 100); do [ -e "$LOGS/$id.rss.ready" ] && break; sleep 0.05; done
  fi
  drop_caches
  if [ "$tool" = cairn ]; then
    echo 5 > "/proc/$DPID/clear_refs" 2>/dev/null || log "cannot reset VmHWM (clear_refs)"
    rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$DPID/status" 2>/dev/null)
    cpu0=$(proc_cpu_s "$DPID")
  fi
  # in the background, so that a signal to this script is handled at once (cleanup)
  /usr/bin/time -v -o "$LOGS/$id.time" "$@" >"$LOGS/$id.out" 2>"$LOGS/$id.err" </dev/null &
  CPID=$!
  wait "$CPID"
  local rc=$?
  CPID=""
  if [ "$tool" = cairn ]; then
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$DPID/status" 2>/dev/null)
    dcpu=$(awk -v a="$cpu0" -v b="$(proc_cpu_s "$DPID")" 'BEGIN {printf "%.2f", b - a}')
    kill -TERM "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=""
    read -r anon _ samples < "$LOGS/$id.rss" || { anon=NA; samples=NA; }
  fi
  local t=$LOGS/$id.time wall user sys rss repo cache
  wall=$(wall_of "$t"); user=$(time_field "$t" 'User time'); sys=$(time_field "$t" 'System time')
  rss=$(time_field "$t" 'Maximum resident set size')
  if [ "$tool" = cairn ]; then repo=$(bytes_of "$CAIRN_REPO"); cache=$(bytes_of "$SCRATCH/cairn-state")
  else repo=$(bytes_of "$RESTIC_REPOSITORY"); cache=$(bytes_of "$RESTIC_CACHE_DIR"); fi
  record "$tool" "$step" "${wall:-NA}" "${user:-NA}" "${sys:-NA}" "${rss:-NA}" "$rc" "$bytes_in" \
    "$repo" "$cache" "${hwm:-NA}" "${anon:-NA}" "${rss0:-NA}" "$dcpu" "${samples:-NA}" "$LOGS/$id.out"
  local extra=""
  [ "$tool" = cairn ] && extra=" daemon VmHWM=${hwm}kB RssAnon=${anon}kB cpu=${dcpu}s;"
  log "$CORPUS $tool $step: rc=$rc ${wall}s;$extra process maxrss=${rss}kB; repo=$repo"
  [ "$rc" -eq 0 ] || log "  $tool $step exited $rc: $(tail -n 2 "$LOGS/$id.err" | tr '\n' ' ' | cut -c1-300)"
  return 0
}

# verify TOOL — the restored tree against the source (untimed); prints one line
verify() {
  local tool=$1 out=$LOGS/$CORPUS.$1.verify.json
  if [ ! -d "$RESTORE$SRC" ]; then
    echo '{"byte_identical": false, "error": "nothing restored at the expected path"}' > "$out"
  else
    "$PY" "$LIB" verify "$SRC" "$RESTORE$SRC" > "$out" 2>"$LOGS/$CORPUS.$tool.verify.err" \
      || echo '{"byte_identical": false, "error": "benchlib verify failed"}' > "$out"
  fi
  log "$CORPUS $tool restore verify: $(cut -c1-300 "$out")"
}

# ---------------------------------------------------------------- one corpus
run_corpus() {
  SRC=$SCRATCH/src/$CORPUS
  CAIRN_REPO=$SCRATCH/cairn-repo
  SOCK=$SCRATCH/cairn.sock
  export RESTIC_REPOSITORY=$SCRATCH/restic-repo RESTIC_CACHE_DIR=$SCRATCH/restic-cache
  export RESTIC_PASSWORD_FILE=$SCRATCH/restic-password
  unset RESTIC_PASSWORD
  printf '%s\n' "$PASSPHRASE" > "$RESTIC_PASSWORD_FILE"

  log "=== $CORPUS: copying the corpus"
  mkdir -p "$SCRATCH/src"
  cp -a "$CORPUS_DIR/$CORPUS" "$SRC" || { log "copy failed"; return 1; }
  sync
  # cairn's files cache skips files changed less than 3 s before a backup starts (DESIGN
  # §3); the copy's ctimes are "now", so let them age as a real tree's would have.
  sleep 4

  start_cairnd || return 1
  measure restic init 0 restic init

  local step bytes
  for step in backup1 backup2 mutate backup3 restore check; do
    case "$step" in
      mutate)
        "$BENCH_SHARED/mutate-corpus.sh" "$SRC" "$SEED" > "$LOGS/$CORPUS.mutate.json" \
          2>"$LOGS/$CORPUS.mutate.err" || log "mutate-corpus.sh failed"
        log "$CORPUS mutated: $(cut -c1-200 "$LOGS/$CORPUS.mutate.json")"
        continue ;;
      backup*)
        bytes=$(file_bytes "$SRC")
        cairn_cmd "$step"; measure cairn "$step" "$bytes" "${CMD[@]}"
        measure restic "$step" "$bytes" restic backup "$SRC" ;;
      restore)
        bytes=$(file_bytes "$SRC")
        RESTORE=$SCRATCH/restore-cairn
        rm -rf "$RESTORE" && mkdir -p "$RESTORE"
        cairn_cmd restore; measure cairn restore "$bytes" "${CMD[@]}"
        verify cairn; rm -rf "$RESTORE"
        RESTORE=$SCRATCH/restore-restic
        rm -rf "$RESTORE" && mkdir -p "$RESTORE"
        measure restic restore "$bytes" restic restore latest --target "$RESTORE"
        verify restic; rm -rf "$RESTORE" ;;
      check)
        cairn_cmd check; measure cairn check "$(bytes_of "$CAIRN_REPO")" "${CMD[@]}"
        measure restic check "$(bytes_of "$RESTIC_REPOSITORY")" restic check --read-data ;;
    esac
  done
  stop_cairnd
  rm -rf "$SCRATCH"/{src,cairn-repo,cairn-state,restic-repo,restic-cache,restore-cairn,restore-restic}
}

# ---------------------------------------------------------------- main
{
  echo "date_utc $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "restic $(restic version)"
  echo "cairn $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown)"
  echo "node $("$NODE" --version)"
  echo "kernel $(uname -r)"
  echo "cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "mem_kb $(awk '/MemTotal/ {print $2}' /proc/meminfo)"
  echo "loadavg_start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "driver $DRIVER"
  echo "seed $SEED"
  echo "corpora $CORPORA"
} > "$RESULTS/env.txt"
log "cairn and restic side by side; corpora: $CORPORA; cairn driven by $CAIRN_DRIVER_NOTE"
log "results: $JSON_OUT (logs in $RESULTS)"
printf 'corpus\ttool\tstep\twall_s\tuser_s\tsys_s\tmaxrss_kb\trc\tbytes_in\trepo_bytes\tcache_bytes\tdaemon_hwm_kb\tdaemon_rssanon_peak_kb\tdaemon_rss_start_kb\tdaemon_cpu_s\tsamples\tout\tdropped_caches\n' > "$TSV"

report() {
  "$PY" "$HERE/report.py" --results "$RESULTS" --corpus-dir "$CORPUS_DIR" \
    --anchors "$BENCH_SHARED/anchors-2026-11-23.md" --json "$JSON_OUT" "$@"
}
for CORPUS in $CORPORA; do
  run_corpus || log "$CORPUS: not measured completely"
  echo "loadavg_after_$CORPUS $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/env.txt"
  stop_cairnd
  report --print "$CORPUS"
done
echo "loadavg_end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/env.txt"
echo "dropped_caches $DROPPED" >> "$RESULTS/env.txt"
report --print summary
