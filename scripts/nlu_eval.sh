#!/usr/bin/env bash
# Train an NLU-only model into a temporary directory and evaluate it on the held-out set
# tests/nlu/heldout.yml (never used for training). Prints accuracy, F1 and the most frequent
# confusions. With --crossval, also runs 5-fold cross-validation on data/nlu.
#
# Usage: scripts/nlu_eval.sh [--crossval] [--keep]
#   --crossval  additionally run 5-fold cross-validation over data/nlu (slow: ~5 trainings)
#   --keep      keep the temporary directory (model and reports) and print its path
# Environment: RASA (default .venv/bin/rasa), PYTHON (default .venv/bin/python),
#   NLU_MIN_ACCURACY (default 0.9): exit 1 if held-out accuracy is lower.
set -euo pipefail

cd "$(dirname "$0")/.."
RASA="${RASA:-.venv/bin/rasa}"
PYTHON="${PYTHON:-.venv/bin/python}"
MIN_ACCURACY="${NLU_MIN_ACCURACY:-0.9}"
CONFIG=bot/config.yml
TRAIN_DATA=data/nlu
HELDOUT=tests/nlu/heldout.yml
export RASA_TELEMETRY_ENABLED=false

crossval=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --crossval) crossval=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
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
  # $1: results directory, $2: title
  "$PYTHON" - "$1" "$2" <<'PY'
import collections
import json
import pathlib
import sys

results, title = pathlib.Path(sys.argv[1]), sys.argv[2]
report = json.loads((results / "intent_report.json").read_text())
print(f"\n== {title} ==")
print(f"accuracy      {report['accuracy']:.3f}")
for avg in ("macro avg", "weighted avg"):
    print(f"{avg:<13} precision {report[avg]['precision']:.3f}  "
          f"recall {report[avg]['recall']:.3f}  f1 {report[avg]['f1-score']:.3f}")
skip = {"accuracy", "macro avg", "weighted avg", "micro avg"}
weak = sorted(
    (v["f1-score"], k, v["support"]) for k, v in report.items()
    if k not in skip and isinstance(v, dict) and v["f1-score"] < 0.9
)
if weak:
    print("intents with f1 < 0.9:")
    for f1, name, support in weak:
        print(f"  {name:<24} f1 {f1:.3f}  (n={support})")
errors_file = results / "intent_errors.json"
errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
pairs = collections.Counter(
    (e["intent"], (e["intent_prediction"] or {}).get("name") or "None") for e in errors
)
if pairs:
    print("confusions (true -> predicted: count):")
    for (true, pred), n in pairs.most_common(15):
        print(f"  {true} -> {pred}: {n}")
    print("misclassified examples:")
    for e in errors:
        pred = e["intent_prediction"] or {}
        print(f"  [{e['intent']} -> {pred.get('name')} {pred.get('confidence', 0):.2f}] {e['text'][:90]}")
PY
}

echo "training NLU model ($CONFIG, $TRAIN_DATA) ..."
"$RASA" train nlu --config "$CONFIG" --nlu "$TRAIN_DATA" --out "$workdir/models" --quiet >"$workdir/train.log" 2>&1 \
  || { cat "$workdir/train.log" >&2; exit 1; }

echo "evaluating on $HELDOUT ..."
"$RASA" test nlu --config "$CONFIG" --nlu "$HELDOUT" --model "$workdir/models" \
  --out "$workdir/heldout" >"$workdir/test.log" 2>&1 || { cat "$workdir/test.log" >&2; exit 1; }
summarise "$workdir/heldout" "held-out ($HELDOUT)"

if [[ "$crossval" == 1 ]]; then
  echo "5-fold cross-validation on $TRAIN_DATA ..."
  "$RASA" test nlu --config "$CONFIG" --nlu "$TRAIN_DATA" --cross-validation --folds 5 \
    --out "$workdir/crossval" >"$workdir/crossval.log" 2>&1 || { cat "$workdir/crossval.log" >&2; exit 1; }
  summarise "$workdir/crossval" "5-fold cross-validation ($TRAIN_DATA)"
fi

"$PYTHON" - "$workdir/heldout/intent_report.json" "$MIN_ACCURACY" <<'PY'
import json
import sys

accuracy = json.load(open(sys.argv[1]))["accuracy"]
if accuracy < float(sys.argv[2]):
    sys.exit(f"\nFAIL: held-out accuracy {accuracy:.3f} < {sys.argv[2]}")
print(f"\nOK: held-out accuracy {accuracy:.3f} >= {sys.argv[2]}")
PY
