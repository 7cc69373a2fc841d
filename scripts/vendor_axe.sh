#!/usr/bin/env bash
# Vendor axe-core (the accessibility rules engine) for the browser test, at setup time: the test
# runs it in the page with no internet (tests/e2e/test_browser.py). It is never served to users.
#
# Fetches axe-core with `npm pack` (no install, so no package scripts run), checks the tarball
# against a pinned SHA-512 and installs axe.min.js and the licence to tests/e2e/vendor/axe-core/
# (gitignored). Idempotent: does nothing when the installed copy already matches.
# Usage: scripts/vendor_axe.sh [--force]
set -euo pipefail

PACKAGE="axe-core"
VERSION="4.10.3"
# `npm view axe-core@4.10.3 dist.integrity`
INTEGRITY="sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/tests/e2e/vendor/axe-core"
STAMP="$TARGET/VERSION"

if [[ "${1:-}" != "--force" && -f "$TARGET/axe.min.js" && -f "$STAMP" \
      && "$(cat "$STAMP")" == "$PACKAGE@$VERSION" ]]; then
    echo "vendor_axe: $PACKAGE@$VERSION already vendored in ${TARGET#"$ROOT"/}"
    exit 0
fi

command -v npm >/dev/null || { echo "vendor_axe: npm is required (apt-get install npm)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent --ignore-scripts "$PACKAGE@$VERSION" >/dev/null)
TARBALL="$WORK/$PACKAGE-$VERSION.tgz"

actual="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
    echo "vendor_axe: checksum mismatch for $PACKAGE@$VERSION: $actual" >&2
    exit 1
fi

tar -xzf "$TARBALL" -C "$WORK" package/axe.min.js package/LICENSE
mkdir -p "$TARGET"
install -m 0644 "$WORK/package/axe.min.js" "$TARGET/axe.min.js.tmp"
install -m 0644 "$WORK/package/LICENSE" "$TARGET/LICENSE"
mv "$TARGET/axe.min.js.tmp" "$TARGET/axe.min.js"
echo "$PACKAGE@$VERSION" > "$STAMP"
echo "vendor_axe: vendored $PACKAGE@$VERSION into ${TARGET#"$ROOT"/}"
