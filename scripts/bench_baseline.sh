#!/usr/bin/env bash
# Baseline for `make bench`: the same load against a stock `rasa init` bot (same Rasa, same venv,
# same machine), so our turn cost can be read as a ratio. Creates and trains the stock bot in a
# temp dir, serves it with `rasa run` on BASELINE_PORT (5205), runs
# `python -m scripts.bench --baseline` with the arguments given here, then stops it.
#   scripts/bench_baseline.sh [--levels 1,10,50] [--conversations-per-user N] ...
# BASELINE_DIR=/some/dir keeps the trained stock bot there and reuses it on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$root"
port="${BASELINE_PORT:-5205}"

if [ -n "${BASELINE_DIR:-}" ]; then
  dir="$BASELINE_DIR"
  keep=1
  mkdir -p "$dir"
else
  dir="$(mktemp -d "${TMPDIR:-/tmp}/rasa-baseline.XXXXXX")"
  keep=0
fi

rasa_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$rasa_pid" ]; then
    kill -TERM -- "-$rasa_pid" 2>/dev/null || true
    wait "$rasa_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 0 ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! compgen -G "$dir/models/*.tar.gz" >/dev/null; then
  echo "Creating and training a stock rasa init bot in $dir ..." >&2
  (cd "$dir" && "$root/.venv/bin/rasa" init --no-prompt --init-dir "$dir" >"$dir/init.log" 2>&1) \
    || { tail -20 "$dir/init.log" >&2; exit 1; }
fi

# A session of its own, so stopping it stops every process it started.
(cd "$dir" && exec setsid "$root/.venv/bin/rasa" run --model models --port "$port" --interface 127.0.0.1 \
  --credentials credentials.yml --endpoints endpoints.yml >"$dir/rasa.log" 2>&1) &
rasa_pid=$!

for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$rasa_pid" 2>/dev/null; then
    echo "The stock bot did not start:" >&2
    tail -20 "$dir/rasa.log" >&2
    exit 1
  fi
  sleep 1
done

echo "load: $(uptime)" >&2
"$root/.venv/bin/python" -m scripts.bench --baseline --base-url "http://127.0.0.1:$port" "$@"
