#!/usr/bin/env bash
# Trains the Rasa model only when config, domain or training data changed.
# The model is named after a hash of its inputs and cached outside the work tree
# (MODEL_CACHE_DIR, default ~/.cache/kuendigungshilfe/models), so a fresh clone with unchanged
# data reuses it instead of training again.
set -euo pipefail
cd "$(dirname "$0")/.."

inputs=$(find bot/config.yml bot/domain data -name '*.yml' -type f | LC_ALL=C sort)
hash=$( (cat $inputs; .venv/bin/python -c 'import rasa; print(rasa.__version__)') | sha256sum | cut -c1-16)
name="model-$hash"
cache="${MODEL_CACHE_DIR:-$HOME/.cache/kuendigungshilfe/models}"
# Rasa's own per-component training cache, shared by all checkouts: a change that only touches
# responses or rules reuses the trained NLU components instead of training them again.
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$HOME/.cache/kuendigungshilfe/rasa-cache}"
mkdir -p models "$cache"

if [ -f "models/$name.tar.gz" ]; then
  echo "Model up to date: models/$name.tar.gz"
else
  # Two checkouts training the same inputs at once: the second waits and takes the first's model.
  exec 9>"$cache/$name.lock"
  flock 9
  if [ -f "$cache/$name.tar.gz" ]; then
    cp "$cache/$name.tar.gz" "models/$name.tar.gz"
    echo "Model restored from cache: models/$name.tar.gz"
  else
    echo "Training data changed: training models/$name.tar.gz (about 5-10 minutes on 2 cores) ..."
    RASA_TELEMETRY_ENABLED=false .venv/bin/rasa train --config bot/config.yml --domain bot/domain \
      --data data --out models --fixed-model-name "$name" --quiet
    cp "models/$name.tar.gz" "$cache/$name.tar.gz.tmp" && mv "$cache/$name.tar.gz.tmp" "$cache/$name.tar.gz"
  fi
  flock -u 9
fi
# Keep only the current model so `rasa run` cannot pick a stale one.
find models -name 'model-*.tar.gz' ! -name "$name.tar.gz" -delete
ln -sf "$name.tar.gz" models/current.tar.gz
