#!/usr/bin/env bash
# Vendor the rasa-webchat widget bundle so the chat page is served entirely from our own host.
#
# Fetches rasa-webchat@1.0.1 with `npm pack` (no install, so no package scripts run), checks the
# tarball against a pinned SHA-512, strips the Google Fonts @import from the bundle (a German
# consumer page must not leak visitors' IP addresses to a third party), swaps the Inter font for
# the system font stack, and installs the result to bot/web/static/vendor/rasa-webchat/.
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
STAMP="$TARGET/VERSION"

if [[ "${1:-}" != "--force" && -f "$TARGET/index.js" && -f "$STAMP" \
      && "$(cat "$STAMP")" == "$PACKAGE@$VERSION" ]]; then
    echo "vendor_webchat: $PACKAGE@$VERSION already vendored in ${TARGET#"$ROOT"/}"
    exit 0
fi

command -v npm >/dev/null || { echo "vendor_webchat: npm is required (apt-get install npm)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent --ignore-scripts "$PACKAGE@$VERSION" >/dev/null)
TARBALL="$WORK/$PACKAGE-$VERSION.tgz"

actual="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
    echo "vendor_webchat: checksum mismatch for $PACKAGE@$VERSION: $actual" >&2
    exit 1
fi

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

mkdir -p "$TARGET"
install -m 0644 "$BUNDLE" "$TARGET/index.js.tmp"
install -m 0644 "$WORK/package/LICENSE" "$TARGET/LICENSE"
mv "$TARGET/index.js.tmp" "$TARGET/index.js"
echo "$PACKAGE@$VERSION" > "$STAMP"
echo "vendor_webchat: vendored $PACKAGE@$VERSION into ${TARGET#"$ROOT"/}"
