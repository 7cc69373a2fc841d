"""One cross-validation fold of data/nlu, to compare pipeline variants at the cost of one training.

Splits the intent examples like `rasa test nlu --cross-validation` (stratified 5 folds, here with a
fixed seed so variants see the same fold), trains CONFIG on four fifths, and prints the held-out
fold's top-1 accuracy (what Rasa's evaluation reports: it reverts FallbackClassifier predictions),
the accuracy when a fallback counts as a miss, and the same two numbers on
tests/nlu/independent/dev.yml. Results: docs/NLU.md.

Usage: .venv/bin/python scripts/nlu_fold.py CONFIG [FOLD (0-4)] [DATA (data/nlu)]
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

# Rasa's training cache would make a repeated run report the time to load the cached components.
os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")

import rasa.model_training  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "nlu" / "independent" / "dev.yml"
# The independent sets label a language switch speak_english / speak_german (see nlu_eval.sh).
SAME_INTENT = {"speak_english": "switch_language", "speak_german": "switch_language"}


async def score(agent: Agent, examples: list) -> tuple[float, float]:
    """Accuracy with a fallback counted as a miss, and top-1 accuracy ignoring the fallback."""
    with_fallback = top1 = 0
    for example in examples:
        gold = SAME_INTENT.get(example.get("intent"), example.get("intent"))
        parsed = await agent.parse_message(example.get("text"))
        ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        with_fallback += parsed["intent"]["name"] == gold
        top1 += ranking[0]["name"] == gold
    return top1 / len(examples), with_fallback / len(examples)


def main(config: str, fold: int = 0, data: str = "data/nlu") -> None:
    examples = load_data(data).intent_examples
    labels = [e.get("intent") for e in examples]
    train, test = list(StratifiedKFold(5, shuffle=True, random_state=0).split(examples, labels))[fold]
    with tempfile.TemporaryDirectory() as tmp:
        RasaYAMLWriter().dump(Path(tmp) / "train.yml", TrainingData([examples[i] for i in train]))
        start = time.monotonic()
        model = rasa.model_training.train_nlu(config, str(Path(tmp) / "train.yml"), tmp)
        seconds = time.monotonic() - start
        agent = Agent.load(model)
        fold_top1, fold_fallback = asyncio.run(score(agent, [examples[i] for i in test]))
        dev_top1, dev_fallback = asyncio.run(score(agent, load_data(str(DEV)).intent_examples))
    print(f"{config} fold {fold}: trained in {seconds:.0f} s")
    print(f"  held-out fold ({len(test)}): top-1 {fold_top1:.3f}, fallback as miss {fold_fallback:.3f}")
    print(f"  dev.yml: top-1 {dev_top1:.3f}, fallback as miss {dev_fallback:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) if i == 0 else a for i, a in enumerate(sys.argv[2:])))
