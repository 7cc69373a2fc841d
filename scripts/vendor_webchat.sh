#!/usr/bin/env bash
# Vendor the rasa-webchat widget bundle so the chat page is served entirely from our own host.
#
# Fetches rasa-webchat@1.0.1 and checks it (scripts/npm_vendor.sh), strips the Google Fonts
# @import from the bundle (a German consumer page must not leak visitors' IP addresses to a third
# party), swaps the Inter font for the system font stack, and installs the result to
# bot/web/static/vendor/rasa-webchat/.
#
# Idempotent: does nothing when the installed copy already matches the pinned version.
# Usage: scripts/vendor_webchat.sh [--force]
set -euo pipefail

PACKAGE="rasa-webchat"
VERSION="1.0.1"
# `npm view rasa-webchat@1.0.1 dist.integrity`
INTEGRITY="sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w=="
FONT_IMPORT='@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);'
# Unquoted on purpose: the CSS lives inside double-quoted JavaScript strings in the bundle.
SYSTEM_FONTS='system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif'

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/bot/web/static/vendor/rasa-webchat"
FILE="index.js"
TAG="vendor_webchat"
# shellcheck source=scripts/npm_vendor.sh
. "$ROOT/scripts/npm_vendor.sh"

vendor_exit_if_current "${1:-}"
vendor_fetch
tar -xzf "$TARBALL" -C "$WORK" package/lib/index.js package/LICENSE
BUNDLE="$WORK/package/lib/index.js"

python3 - "$BUNDLE" "$FONT_IMPORT" "$SYSTEM_FONTS" <<'PY'
import sys
path, font_import, system_fonts = sys.argv[1:4]
with open(path, encoding="utf-8") as handle:
    source = handle.read()
if font_import not in source:
    sys.exit("vendor_webchat: Google Fonts @import not found; bundle layout changed?")
source = source.replace(font_import, "")
source = source.replace("font-family:Inter,sans-serif", "font-family:" + system_fonts)
with open(path, "w", encoding="utf-8") as handle:
    handle.write(source)
PY

# Whatever the browser could still load from a font or CDN host must be gone.
if grep -Eqo 'https?://(fonts\.googleapis\.com|fonts\.gstatic\.com|[a-z0-9.-]*cdn[a-z0-9.-]*\.[a-z]+)' "$BUNDLE"; then
    echo "vendor_webchat: third-party font/CDN URL left in the bundle:" >&2
    grep -Eo 'https?://(fonts\.googleapis\.com|fonts\.gstatic\.com|[a-z0-9.-]*cdn[a-z0-9.-]*\.[a-z]+)[^"]{0,60}' "$BUNDLE" >&2
    exit 1
fi
if grep -q '@import' "$BUNDLE"; then
    echo "vendor_webchat: a CSS @import is left in the bundle" >&2
    exit 1
fi

vendor_install "$BUNDLE" "$WORK/package/LICENSE"
