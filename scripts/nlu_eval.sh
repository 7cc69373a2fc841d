#!/usr/bin/env bash
# Train an NLU-only model into a temporary directory and evaluate it on sets never used for training:
#   tests/nlu/independent/test.yml  independent, SCORED ONLY: aggregate scores, the per-intent table
#                                   and confusion counts, never its messages (tests/nlu/independent/README.md)
#   tests/nlu/independent/dev.yml   independent, for development: misclassified messages are listed
#   tests/nlu/independent/english_test.yml  independent English messages, SCORED ONLY like test.yml
#   tests/nlu/heldout.yml           written with the training data (a regression check)
# then fact extraction on tests/nlu/independent/facts.yml (scripts/nlu_facts.py).
# With --crossval, also 5-fold cross-validation on data/nlu. Numbers: docs/NLU.md.
#
# Usage: scripts/nlu_eval.sh [--crossval] [--keep] [--dev-only] [--model PATH]
#   --crossval  additionally run 5-fold cross-validation over data/nlu (slow: 5 more trainings)
#   --keep      keep the temporary directory (model and reports) and print its path
#   --dev-only  evaluate dev.yml and heldout.yml only (while tuning: leaves test.yml and
#               english_test.yml untouched)
#   --model P   evaluate this trained model (e.g. models/current.tar.gz) instead of training one
# Environment: RASA (default .venv/bin/rasa), PYTHON (default .venv/bin/python),
#   NLU_MIN_ACCURACY (default 0.9): exit 1 if the independent test accuracy is lower.
set -euo pipefail

cd "$(dirname "$0")/.."
RASA="${RASA:-.venv/bin/rasa}"
PYTHON="${PYTHON:-.venv/bin/python}"
MIN_ACCURACY="${NLU_MIN_ACCURACY:-0.9}"
CONFIG=bot/config.yml
TRAIN_DATA=data/nlu
TEST=tests/nlu/independent/test.yml
DEV=tests/nlu/independent/dev.yml
ENGLISH=tests/nlu/independent/english_test.yml
HELDOUT=tests/nlu/heldout.yml
export RASA_TELEMETRY_ENABLED=false
FALLBACK_THRESHOLD="$("$PYTHON" -c 'import sys, yaml
print(next(c["threshold"] for c in yaml.safe_load(open(sys.argv[1]))["pipeline"] if c["name"] == "FallbackClassifier"))' "$CONFIG")"

crossval=0
keep=0
dev_only=0
model=""
expect_model=0
for arg in "$@"; do
  if [[ "$expect_model" == 1 ]]; then model="$arg"; expect_model=0; continue; fi
  case "$arg" in
    --model) expect_model=1 ;;
    --crossval) crossval=1 ;;
    --keep) keep=1 ;;
    --dev-only) dev_only=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

workdir="$(mktemp -d -t nlu-eval-XXXXXX)"
if [[ "$keep" == 1 ]]; then
  echo "keeping $workdir"
else
  trap 'rm -rf "$workdir"' EXIT
fi

summarise() {
  # $1: results directory, $2: title, $3: 1 = list misclassified messages
  "$PYTHON" - "$1" "$2" "$3" "$FALLBACK_THRESHOLD" <<'PY'
import collections
import json
import pathlib
import sys

results, title, list_errors = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
report = json.loads((results / "intent_report.json").read_text())
print(f"\n== {title} ==")
print(f"accuracy      {report['accuracy']:.3f}")
for avg in ("macro avg", "weighted avg"):
    print(f"{avg:<13} precision {report[avg]['precision']:.3f}  "
          f"recall {report[avg]['recall']:.3f}  f1 {report[avg]['f1-score']:.3f}")
skip = {"accuracy", "macro avg", "weighted avg", "micro avg"}
rows = sorted((k, v) for k, v in report.items() if k not in skip and isinstance(v, dict))
print(f"{'intent':<24} {'n':>4} {'precision':>9} {'recall':>7} {'f1':>6}")
for name, v in rows:
    if v["support"]:
        print(f"{name:<24} {v['support']:>4} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1-score']:>6.3f}")
errors_file = results / "intent_errors.json"
errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
pairs = collections.Counter(
    (e["intent"], (e["intent_prediction"] or {}).get("name") or "None") for e in errors
)
# Rasa scores the intent below a fallback; count what the FallbackClassifier's threshold would do
# (its ambiguity rule is not counted, so "silently wrong" is an upper bound).
successes_file = results / "intent_successes.json"
successes = json.loads(successes_file.read_text()) if successes_file.exists() else []
threshold = float(sys.argv[4])
low = lambda e: (e["intent_prediction"] or {}).get("confidence", 0) < threshold
right = f", {sum(map(low, successes))} right" if successes_file.exists() else ""
print(f"below the fallback threshold {threshold} (clarifying question): {sum(map(low, errors))} wrong"
      f"{right}; silently wrong: {sum(not low(e) for e in errors)}")
if pairs:
    print("confusions (true -> predicted: count):")
    for (true, pred), n in pairs.most_common(25):
        print(f"  {true} -> {pred}: {n}")
if list_errors and errors:
    print("misclassified messages:")
    for e in errors:
        pred = e["intent_prediction"] or {}
        print(f"  [{e['intent']} -> {pred.get('name')} {pred.get('confidence', 0):.2f}] {e['text'][:100]}")
PY
}

evaluate() {
  # $1: data file, $2: output name, $3: 1 = list misclassified messages
  "$RASA" test nlu --config "$CONFIG" --nlu "$1" --model "$workdir/models" --successes \
    --out "$workdir/$2" >"$workdir/$2.log" 2>&1 || { cat "$workdir/$2.log" >&2; exit 1; }
  summarise "$workdir/$2" "$2: $1" "$3"
}

if [[ -n "$model" ]]; then
  mkdir -p "$workdir/models" && cp "$model" "$workdir/models/"
  echo "evaluating $model"
else
  echo "training NLU model ($CONFIG, $TRAIN_DATA) ..."
  start=$(date +%s)
  "$RASA" train nlu --config "$CONFIG" --nlu "$TRAIN_DATA" --out "$workdir/models" --quiet >"$workdir/train.log" 2>&1 \
    || { cat "$workdir/train.log" >&2; exit 1; }
  echo "trained in $(( $(date +%s) - start )) s"
fi

# The independent sets label a switch of language speak_english / speak_german; the assistant has
# one intent for both (switch_language: the action reads the direction from the text).
relabel() {
  sed -e 's/^- intent: speak_english$/- intent: switch_language/' \
      -e 's/^- intent: speak_german$/- intent: switch_language/' "$1" >"$workdir/$2"
}
relabel "$DEV" dev.yml
relabel "$TEST" test.yml

evaluate "$HELDOUT" heldout 1
evaluate "$workdir/dev.yml" dev 1
if [[ "$dev_only" == 0 ]]; then
  evaluate "$workdir/test.yml" test 0
  evaluate "$ENGLISH" english 0
  "$PYTHON" scripts/nlu_facts.py
fi

if [[ "$crossval" == 1 ]]; then
  echo "5-fold cross-validation on $TRAIN_DATA ..."
  "$RASA" test nlu --config "$CONFIG" --nlu "$TRAIN_DATA" --cross-validation --folds 5 \
    --out "$workdir/crossval" >"$workdir/crossval.log" 2>&1 || { cat "$workdir/crossval.log" >&2; exit 1; }
  summarise "$workdir/crossval" "5-fold cross-validation ($TRAIN_DATA)" 0
fi

if [[ "$dev_only" == 0 ]]; then
  "$PYTHON" - "$workdir/test/intent_report.json" "$MIN_ACCURACY" <<'PY'
import json
import sys

accuracy = json.load(open(sys.argv[1]))["accuracy"]
if accuracy < float(sys.argv[2]):
    sys.exit(f"\nFAIL: independent test accuracy {accuracy:.3f} < {sys.argv[2]}")
print(f"\nOK: independent test accuracy {accuracy:.3f} >= {sys.argv[2]}")
PY
fi
