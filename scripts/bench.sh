#!/usr/bin/env bash
# Measures the numbers in docs/benchmarks.md and prints them as a markdown table on stdout
# (progress goes to stderr):
#   - size of the release binary of kanaal-app (and of the empty-window baseline)
#   - cold start to first paint: the app, given KANAAL_BENCH_READY_FILE=<path>, writes there
#     "ready_unix_ms=<wall-clock ms>" (or "first_paint_ms=<ms since start>") once the catalog has
#     rendered; the time from launch to that, median of N runs, each on a fresh copy of a demo
#     data folder made beforehand with `kanaal --data-dir DIR demo`
#   - idle memory IDLE_WAIT s after first paint (KANAAL_BENCH_IDLE_SECS keeps the app alive that
#     long): PSS from /proc/PID/smaps_rollup of the app process, and of all its descendants
#     (WebKitWebProcess, WebKitNetworkProcess) as "web", median of the N runs
# The same for target/release/empty-window (package empty-window), an empty Tauri window that
# honours the same two variables, as the baseline.
#
# Runs under its own Xvfb and a private D-Bus session with an unlocked keyring.
#
# Environment:
#   BENCH_RUNS=5          runs per binary
#   BENCH_IDLE_WAIT=5     seconds after first paint before memory is read
#   BENCH_TIMEOUT=60      seconds a single run may take before it is counted as failed
#   BENCH_NO_BUILD=1      use the binaries as they are (no UI or cargo release build)
#   BENCH_APP, BENCH_BASELINE, BENCH_CLI   binaries (default target/release/{kanaal-app,
#                         empty-window,kanaal}); BENCH_BASELINE=none skips the baseline
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="$ROOT/scripts/bench.sh"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

RUNS="${BENCH_RUNS:-5}"
IDLE_WAIT="${BENCH_IDLE_WAIT:-5}"
TIMEOUT="${BENCH_TIMEOUT:-60}"
APP="${BENCH_APP:-$ROOT/target/release/kanaal-app}"
BASELINE="${BENCH_BASELINE:-$ROOT/target/release/empty-window}"
CLI="${BENCH_CLI:-$ROOT/target/release/kanaal}"

log() { echo "bench: $*" >&2; }
die() {
  echo "bench: error: $*" >&2
  exit 1
}

# --- 1. outside the virtual display: install, build, then re-run inside Xvfb + D-Bus ----------
if [ "${KANAAL_BENCH_INNER:-0}" != 1 ]; then
  SETUP_SKIP_DRIVER=1 "$ROOT/scripts/setup.sh" test >&2
  if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    log "building the UI and the release binaries (LTO: this takes a while)"
    npm --prefix ui run build >&2
    pkgs=(-p kanaal-app -p kanaal-cli)
    if [ "$BASELINE" != none ] &&
      cargo metadata --no-deps --format-version 1 | grep -q '"name":"empty-window"'; then
      pkgs+=(-p empty-window)
    fi
    cargo build --release "${pkgs[@]}" >&2
  fi
  # Services that the D-Bus session starts print to stdout: only the table goes there.
  table="$(mktemp "${TMPDIR:-/tmp}/kanaal-bench-table.XXXXXX")"
  trap 'rm -f "$table"' EXIT
  KANAAL_BENCH_INNER=1 KANAAL_BENCH_TABLE="$table" \
    xvfb-run -a -s '-screen 0 1280x800x24' "$ROOT/scripts/with-keyring.sh" "$SELF" "$@" >&2
  cat "$table"
  exit 0
fi

# --- 2. inside: measure --------------------------------------------------------------------

[ -x "$APP" ] || die "no app binary at $APP (build with: cargo build --release -p kanaal-app)"
[ -x "$CLI" ] || die "no CLI binary at $CLI (build with: cargo build --release -p kanaal-cli)"
if [ "$BASELINE" != none ] && [ ! -x "$BASELINE" ]; then
  log "no baseline binary at $BASELINE (package empty-window): measuring the app alone"
  BASELINE=none
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kanaal-bench.XXXXXX")"
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill -KILL "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# WebKitGTK under Xvfb: software rendering, no compositing, no DMA-BUF renderer.
export WEBKIT_DISABLE_COMPOSITING_MODE="${WEBKIT_DISABLE_COMPOSITING_MODE:-1}"
export WEBKIT_DISABLE_DMABUF_RENDERER="${WEBKIT_DISABLE_DMABUF_RENDERER:-1}"
export LIBGL_ALWAYS_SOFTWARE="${LIBGL_ALWAYS_SOFTWARE:-1}"
export GDK_BACKEND="${GDK_BACKEND:-x11}"

log "preparing the demo data folder with $CLI"
"$CLI" --data-dir "$WORK/demo-template" demo >"$WORK/demo.log" 2>&1 ||
  die "'kanaal --data-dir DIR demo' failed: $(tail -5 "$WORK/demo.log")"

# PSS in kB of one process (0 if it is gone).
pss_kb() {
  awk '/^Pss:/ { print $2; found = 1 } END { if (!found) print 0 }' \
    "/proc/$1/smaps_rollup" 2>/dev/null || echo 0
}

# All descendants of a pid, one per line (/proc/PID/task/*/children is not in every kernel).
descendants() {
  ps -e -o pid= -o ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END {
      for (p in parent) {
        for (q = parent[p]; q != "" && q > 1; q = parent[q]) {
          if (q == root) { print p; break }
        }
      }
    }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# One run of BIN: prints "first_paint_ms main_kb web_kb".
run_once() {
  local bin="$1" run="$2"
  local dir="$WORK/run-$run"
  rm -rf "$dir"
  mkdir -p "$dir/xdg/config" "$dir/xdg/data" "$dir/xdg/cache"
  cp -a "$WORK/demo-template" "$dir/data"
  local ready="$dir/ready" launched_ms
  launched_ms="$(date +%s%3N)"
  KANAAL_DATA_DIR="$dir/data" \
    XDG_CONFIG_HOME="$dir/xdg/config" XDG_DATA_HOME="$dir/xdg/data" XDG_CACHE_HOME="$dir/xdg/cache" \
    KANAAL_BENCH_READY_FILE="$ready" KANAAL_BENCH_IDLE_SECS="$((IDLE_WAIT + 2))" \
    "$bin" >"$dir/app.log" 2>&1 &
  APP_PID=$!

  local waited=0
  until grep -qE '^(first_paint_ms|ready_unix_ms)=[0-9]' "$ready" 2>/dev/null; do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      wait "$APP_PID" || true
      die "$(basename "$bin") exited before first paint; its output: $(tail -5 "$dir/app.log")"
    fi
    if [ "$waited" -ge $((TIMEOUT * 20)) ]; then
      die "$(basename "$bin") did not report first paint within ${TIMEOUT}s (does it honour KANAAL_BENCH_READY_FILE?)"
    fi
    sleep 0.05
    waited=$((waited + 1))
  done
  # Either the app's own count from its start (first_paint_ms=N), or the wall-clock time of its
  # first paint (ready_unix_ms=T), from which the launch time is taken here.
  local paint ready_ms
  paint="$(sed -n 's/^first_paint_ms=\([0-9][0-9]*\).*/\1/p' "$ready" | head -1)"
  if [ -z "$paint" ]; then
    ready_ms="$(sed -n 's/^ready_unix_ms=\([0-9][0-9]*\).*/\1/p' "$ready" | head -1)"
    paint=$((ready_ms - launched_ms))
  fi
  # Kanaal also reports where the time went inside the page (ms since the page started loading).
  local page_start
  page_start="$(sed -n 's/^pageStartUnixMs=\([0-9][0-9]*\).*/\1/p' "$ready" | head -1)"
  if [ -n "$page_start" ]; then
    log "  $(basename "$bin"): page starts loading at $((page_start - launched_ms)) ms; then (ms into the page)" \
      "$(grep -vE '^(ready_unix_ms|pageStartUnixMs)=' "$ready" | tr '\n' ' ')"
  fi

  sleep "$IDLE_WAIT"
  kill -0 "$APP_PID" 2>/dev/null ||
    die "$(basename "$bin") exited before the idle measurement (does it honour KANAAL_BENCH_IDLE_SECS?)"
  local main web=0 pid
  main="$(pss_kb "$APP_PID")"
  for pid in $(descendants "$APP_PID"); do
    web=$((web + $(pss_kb "$pid")))
  done

  # It exits by itself 2 s later; make sure.
  local _
  for _ in $(seq 1 100); do
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$APP_PID" 2>/dev/null; then
    log "$(basename "$bin") did not exit after KANAAL_BENCH_IDLE_SECS; killing it"
    pkill -KILL -P "$APP_PID" 2>/dev/null || true
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
  rm -rf "$dir"
  echo "$paint $main $web"
}

# Measures BIN RUNS times; sets PAINT MAIN WEB TOTAL (medians; memory in kB) and SIZE (bytes).
measure() {
  local bin="$1" run results="$WORK/results"
  : >"$results"
  for run in $(seq 1 "$RUNS"); do
    run_once "$bin" "$run" >>"$results"
    log "$(basename "$bin") run $run/$RUNS: $(tail -1 "$results" | awk '{ printf "first paint %s ms, main %s kB, web %s kB", $1, $2, $3 }')"
  done
  PAINT="$(awk '{ print $1 }' "$results" | median)"
  MAIN="$(awk '{ print $2 }' "$results" | median)"
  WEB="$(awk '{ print $3 }' "$results" | median)"
  TOTAL="$(awk '{ print $2 + $3 }' "$results" | median)"
  PAINT_RANGE="$(awk 'NR == 1 || $1 < lo { lo = $1 } NR == 1 || $1 > hi { hi = $1 } END { print lo "–" hi }' "$results")"
  SIZE="$(stat -c %s "$bin")"
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
mem() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

log "measuring $(basename "$APP") ($RUNS runs)"
measure "$APP"
A=("$SIZE" "$PAINT" "$PAINT_RANGE" "$MAIN" "$WEB" "$TOTAL")
if [ "$BASELINE" != none ]; then
  log "measuring $(basename "$BASELINE") ($RUNS runs)"
  measure "$BASELINE"
  B=("$SIZE" "$PAINT" "$PAINT_RANGE" "$MAIN" "$WEB" "$TOTAL")
else
  B=("" "" "" "" "" "")
fi

cell() { # kind value -> formatted, or "–" when empty
  if [ -z "$2" ]; then
    echo "–"
  else
    case "$1" in size) mib "$2" ;; ms) echo "$2 ms" ;; mem) mem "$2" ;; *) echo "$2" ;; esac
  fi
}

exec >"$KANAAL_BENCH_TABLE"
webkit="$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo unknown)"
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "Measured $(date -u +%Y-%m-%d) on ${cpu:-unknown CPU}, $(nproc) cores, WebKitGTK $webkit, under Xvfb (software rendering); median of $RUNS runs, memory ${IDLE_WAIT} s after first paint."
echo "Binaries: ${APP#"$ROOT"/}$([ "$BASELINE" = none ] || echo " and ${BASELINE#"$ROOT"/}")."
echo
echo "| Measure | kanaal-app | empty Tauri window (baseline) |"
echo "| --- | ---: | ---: |"
echo "| Binary size | $(cell size "${A[0]}") | $(cell size "${B[0]}") |"
echo "| Start to first paint (median; range) | $(cell ms "${A[1]}") (${A[2]}) | $(cell ms "${B[1]}")${B[2]:+ (${B[2]})} |"
echo "| Idle memory, app process (PSS) | $(cell mem "${A[3]}") | $(cell mem "${B[3]}") |"
echo "| Idle memory, web processes (PSS) | $(cell mem "${A[4]}") | $(cell mem "${B[4]}") |"
echo "| Idle memory, total (PSS) | $(cell mem "${A[5]}") | $(cell mem "${B[5]}") |"
