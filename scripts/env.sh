# Sourced by the scripts: documented defaults for every variable Rasa's ${VAR} substitution in
# endpoints.yml / bot/credentials.yml needs (it fails on unset variables). See README.md.
# Local secrets (var/local.env, mode 0600, never committed; scripts/run.sh creates it) fill in what
# the environment leaves unset: a variable set outside always wins.
if [ -f var/local.env ]; then
  while IFS='=' read -r name value; do
    case "$name" in ''|\#*|*[!A-Za-z0-9_]*) continue ;; esac
    [ -n "${!name:-}" ] || export "$name=$value"
  done < var/local.env
fi
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$(pwd)"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTION_PORT:-5055}/webhook}"
# The secret Rasa sends with every action call (endpoints.yml); scripts/run.sh generates it.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:${RASA_PORT:-5005}}"
export TELEGRAM_TOKEN="${TELEGRAM_TOKEN:-}"
export TELEGRAM_BOT_NAME="${TELEGRAM_BOT_NAME:-}"
export TELEGRAM_WEBHOOK_URL="${TELEGRAM_WEBHOOK_URL:-}"
export TELEGRAM_SECRET_TOKEN="${TELEGRAM_SECRET_TOKEN:-}"
export TELEGRAM_API_BASE_URL="${TELEGRAM_API_BASE_URL:-https://api.telegram.org}"
# Empty: webhook when TELEGRAM_WEBHOOK_URL is set, otherwise long polling.
export TELEGRAM_MODE="${TELEGRAM_MODE:-}"
# Rasa's SQL tracker store defaults to a pool of 50 + 100 per process: far too many for PostgreSQL.
export SQL_POOL_SIZE="${SQL_POOL_SIZE:-5}"
export SQL_MAX_OVERFLOW="${SQL_MAX_OVERFLOW:-10}"
