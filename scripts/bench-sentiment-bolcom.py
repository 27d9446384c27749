"""Rebuilds the Dutch bol.com review sample for scripts/bench-sentiment.sh.

The reviews themselves are not in the repository (Pattern's corpus licence says "personal
use"); src-tauri/insights/data/eval/nl_bolcom_sample.keys names the 212 sampled reviews by a key
(SHA-256 of the review's lower-cased letters and digits, first 16 hex digits) and their label.

Usage:
  curl -LO https://raw.githubusercontent.com/clips/pattern/master/test/corpora/polarity-nl-bol.com.csv
  python3 scripts/bench-sentiment-bolcom.py polarity-nl-bol.com.csv

Writes target/bench-sentiment-data/nl_bolcom_sample.tsv (text<TAB>label, 1 positive) in the
file's order and says how many of the keys it found. How the sample was drawn is written in
src-tauri/insights/data/eval/README.md.
"""

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "src-tauri/insights/data/eval/nl_bolcom_sample.keys"
OUT = ROOT / "target/bench-sentiment-data/nl_bolcom_sample.tsv"


def key(text):
    return hashlib.sha256(re.sub("[^a-z0-9]", "", text.lower()).encode()).hexdigest()[:16]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wanted = {}
    for line in KEYS.read_text().split("\n"):
        if line.strip():
            k, label = line.split("\t")
            wanted[k] = int(label)
    found = []
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if len(row) != 2 or row[0] not in ("1", "-1"):
                continue
            k = key(row[1])
            if k in wanted and wanted[k] == (1 if row[0] == "1" else 0):
                found.append((" ".join(row[1].split()), wanted.pop(k)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(f"{t}\t{l}\n" for t, l in found), encoding="utf-8")
    pos = sum(l for _, l in found)
    print(f"{OUT}: {len(found)} reviews ({pos} positive, {len(found) - pos} negative)")
    if wanted:
        print(f"{len(wanted)} sampled reviews were not found in {sys.argv[1]}; is it the same file?")
        sys.exit(1)


if __name__ == "__main__":
    main()
