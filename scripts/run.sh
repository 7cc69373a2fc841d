#!/usr/bin/env bash
# Starts the action server and the Rasa server (REST, web chat, Telegram channels) and stops both
# on Ctrl-C or SIGTERM. Ports: RASA_PORT (5005), ACTION_PORT (5055); the action server listens on
# ACTION_HOST (127.0.0.1) and only answers calls that carry ACTION_SERVER_TOKEN (bot/action_server.py).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# Library deprecation chatter and TensorFlow's start-up notes are noise for someone running the bot.
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"

# The first run creates the shared secret of Rasa and the action server and keeps it in
# var/local.env (owner-only, gitignored; scripts/env.sh reads it). A token from the environment wins.
if [ -z "$ACTION_SERVER_TOKEN" ]; then
  mkdir -p var
  ACTION_SERVER_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
  ( umask 077 && printf 'ACTION_SERVER_TOKEN=%s\n' "$ACTION_SERVER_TOKEN" >> var/local.env )
  export ACTION_SERVER_TOKEN
  echo "Created ACTION_SERVER_TOKEN in var/local.env"
fi
[ ! -f var/local.env ] || chmod 600 var/local.env

.venv/bin/python -m bot migrate >/dev/null

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping ..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT

ACTION_PORT="$ACTION_PORT" .venv/bin/python -m bot.action_server --quiet &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --endpoints endpoints.yml \
  --credentials bot/credentials.yml --port "$RASA_PORT" --interface 127.0.0.1 --quiet &
pids+=($!)

# Tell the user where to go once Rasa answers.
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1; then
    echo
    echo "Kündigungshilfe is running:"
    echo "  web chat:  ${PUBLIC_BASE_URL}/"
    echo "  REST:      http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook"
    echo "Press Ctrl-C to stop."
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
