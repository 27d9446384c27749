"""Accuracy of Kanaal's review scorer against VADER and Pattern on labelled reviews.

Run through scripts/bench-sentiment.sh (it makes the venv). Data sets (see
src-tauri/insights/data/eval/README.md for sources, licences and how each was obtained):

  en  amazon_cells_labelled.txt  UCI "Sentiment Labelled Sentences" (Kotzias et al., 2015),
  en  yelp_labelled.txt          1,000 sentences each, 500 positive / 500 negative, CC BY 4.0
  en  imdb_labelled.txt
  nl  nl_bolcom_sample.tsv       212 bol.com book reviews (106/106) sampled from the corpus in
                                 Pattern's test suite; NOT in the repository (its licence is
                                 "personal use"); made by scripts/bench-sentiment-bolcom.py into
                                 target/bench-sentiment-data/. Skipped with a note when absent.
  nl  nl_reviews_handlabelled.tsv 79 Dutch shop reviews written and labelled for Kanaal

Binary labels, so each tool's "positive" is compared with the label and everything else
(negative or neutral) counts as "not positive":
  Kanaal  label == "positive"      (score >= 0.05)
  VADER   compound >= 0.05         (VADER's documented threshold)
  Pattern polarity >= 0.1          (pattern.nl positive(s, threshold=0.1))

`--half dev|test` scores only the even (dev) or odd (test) lines of every set: lexicon work is
done by reading errors on the dev half only, and the test half is the figure to report.
`--errors` prints the sentences Kanaal gets wrong (use it on the dev half only).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src-tauri/insights/data/eval"
EXTRA = ROOT / "target/bench-sentiment-data"

SETS = [
    ("en", DATA / "amazon_cells_labelled.txt", "VADER"),
    ("en", DATA / "yelp_labelled.txt", "VADER"),
    ("en", DATA / "imdb_labelled.txt", "VADER"),
    ("nl", EXTRA / "nl_bolcom_sample.tsv", "Pattern"),
    ("nl", DATA / "nl_reviews_handlabelled.tsv", "Pattern"),
]


def load(path):
    rows = []
    # split("\n"), not splitlines(): the IMDb file keeps the original's odd characters and
    # splitlines() would also break on U+0085 and friends.
    for line in path.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            rows.append((text.strip(), int(label)))
    return rows


def kanaal(texts, lang, tmp):
    tmp.write_text("\n".join(" ".join(t.split()) for t in texts) + "\n", encoding="utf-8")
    # SENTIMENT_BIN: an already built bench binary (target/release/deps/sentiment-*), to score
    # without cargo (for instance while another crate of the workspace does not build).
    binary = os.environ.get("SENTIMENT_BIN")
    cmd = [binary] if binary else ["cargo", "bench", "-q", "-p", "kanaal-insights", "--bench", "sentiment", "--"]
    out = subprocess.run(
        cmd + ["score", str(tmp), lang], cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return [json.loads(l)["label"] == "positive" for l in out.splitlines() if l.strip()]


def vader(texts):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    a = SentimentIntensityAnalyzer()
    return [a.polarity_scores(t)["compound"] >= 0.05 for t in texts]


def pattern(texts):
    from textblob_nl.nl import sentiment
    return [sentiment(t)[0] >= 0.1 for t in texts]


REFS = {"VADER": vader, "Pattern": pattern}


def metrics(pred, gold):
    tp = sum(p and g for p, g in zip(pred, gold))
    tn = sum((not p) and (not g) for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum((not p) and g for p, g in zip(pred, gold))
    acc = (tp + tn) / len(gold)
    f1_pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f1_neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
    return acc, (f1_pos + f1_neg) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", choices=["dev", "test"])
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    tmp = ROOT / "target/bench-sentiment-input.txt"
    tmp.parent.mkdir(exist_ok=True)
    print(f"{'set':<30} {'n':>5}  {'scorer':<8} {'accuracy':>8} {'macro-F1':>8}")
    worse = False
    for lang, path, ref_name in SETS:
        if not path.exists():
            print(f"{path.name:<30} skipped: not found (see scripts/bench-sentiment-bolcom.py)")
            continue
        rows = load(path)
        if args.half:
            rows = rows[0 if args.half == "dev" else 1::2]
        texts = [t for t, _ in rows]
        gold = [bool(l) for _, l in rows]
        ours_pred = kanaal(texts, lang, tmp)
        ours = metrics(ours_pred, gold)
        theirs = metrics(REFS[ref_name](texts), gold)
        for who, (acc, f1) in (("Kanaal", ours), (ref_name, theirs)):
            print(f"{path.name:<30} {len(rows):>5}  {who:<8} {acc:>8.3f} {f1:>8.3f}", flush=True)
        worse |= ours[1] <= theirs[1]
        if args.errors:
            for t, g, p in zip(texts, gold, ours_pred):
                if g != p:
                    print(f"    gold={int(g)} {t[:160]}")
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()
