#!/usr/bin/env bash
# make cluster: REPLICAS Rasa replicas (2) and ACTION_REPLICAS action servers (2) behind HAProxy on
# 127.0.0.1:RASA_PORT (5005), sharing DATABASE_URL (PostgreSQL, default the local test database) and
# REDIS_URL (default redis://127.0.0.1:6379/0). Ctrl-C or SIGTERM stops everything; SIGHUP to the
# supervisor restarts the processes one by one. Details: scripts/cluster.py, README "Production".
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v haproxy >/dev/null; then
  echo "Installing HAProxy (Debian package haproxy) ..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; } \
    || { echo "make cluster needs HAProxy: apt-get install haproxy (or put haproxy on the PATH)" >&2; exit 1; }
fi
. scripts/env.sh
export DATABASE_URL="${DATABASE_URL:-postgresql://127.0.0.1:5432/test}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
exec .venv/bin/python -m scripts.cluster "$@"
