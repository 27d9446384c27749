#!/usr/bin/env bash
# Review sentiment accuracy: Kanaal's scorer against VADER (English) and Pattern (Dutch, via
# textblob-nl) on the same labelled reviews, each tool with its documented threshold.
# Installs the reference tools into a venv under target/ (PyPI only); prints accuracy and F1.
# Throughput is measured separately: cargo bench -p kanaal-insights --bench sentiment
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/bench-sentiment-venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet vaderSentiment==3.3.2 textblob textblob-nl==0.0.1
fi
exec "$VENV/bin/python" scripts/bench-sentiment.py "$@"
