#!/bin/sh
# The container's roles: rasa (default), actions, migrate; anything else is run as given.
# Settings come from the environment (README "Configuration"); scripts/env.sh fills the
# defaults that Rasa's ${VAR} substitution in endpoints.yml and bot/credentials.yml needs.
set -eu
cd /app
# Secrets mounted as files (Kubernetes): each file NAME in $SECRETS_DIR becomes the variable NAME,
# so tokens never appear in the pod's environment specification.
if [ -n "${SECRETS_DIR:-}" ] && [ -d "$SECRETS_DIR" ]; then
  for file in "$SECRETS_DIR"/*; do
    name=$(basename "$file")
    case "$name" in
      *[!A-Z0-9_]* | [0-9]*) continue ;;
    esac
    [ -f "$file" ] && export "$name=$(cat "$file")"
  done
fi
. scripts/env.sh
role="${1:-rasa}"
case "$role" in
  rasa)
    exec rasa run --model "$RASA_MODEL" --endpoints endpoints.yml --credentials bot/credentials.yml \
      --port "$RASA_PORT" --interface 0.0.0.0 --quiet ;;
  actions)
    # In a pod the action server must listen beyond loopback; ACTION_SERVER_TOKEN guards it.
    export ACTION_HOST="${ACTION_HOST:-0.0.0.0}"
    exec python -m bot.action_server --quiet ;;
  migrate)
    exec python -m bot migrate ;;
  *)
    exec "$@" ;;
esac
