#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 does not run on 3.11+), or explains how
# to provide one. Order: $PYTHON, python3.10 on PATH, pyenv's 3.10.x versions.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in "$root"/versions/3.10.*; do [ -x "$dir/bin/python3.10" ] && candidates+=("$dir/bin/python3.10"); done
fi
for dir in "$HOME"/.pyenv/versions/3.10.*; do [ -x "$dir/bin/python3.10" ] && candidates+=("$dir/bin/python3.10"); done

for python in "${candidates[@]}"; do
  if is_310 "$python"; then echo "$python"; exit 0; fi
done

cat >&2 <<'MSG'
Python 3.10 was not found (Rasa 3.6 needs exactly 3.10; 3.11+ does not work).
Provide one of these and run the command again:
  - set PYTHON=/path/to/python3.10, or
  - put python3.10 on your PATH (Debian/Ubuntu: apt-get install python3.10 python3.10-venv), or
  - install it with pyenv: pyenv install 3.10.13
MSG
exit 1
