#!/usr/bin/env bash
# Vendor axe-core (the accessibility rules engine) for the browser test, at setup time: the test
# runs it in the page with no internet (tests/e2e/test_browser.py). It is never served to users.
#
# Fetches axe-core and checks it (scripts/npm_vendor.sh), then installs axe.min.js and the licence to tests/e2e/vendor/axe-core/
# (gitignored). Idempotent: does nothing when the installed copy already matches.
# Usage: scripts/vendor_axe.sh [--force]
set -euo pipefail

PACKAGE="axe-core"
VERSION="4.10.3"
# `npm view axe-core@4.10.3 dist.integrity`
INTEGRITY="sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/tests/e2e/vendor/axe-core"
FILE="axe.min.js"
TAG="vendor_axe"
# shellcheck source=scripts/npm_vendor.sh
. "$ROOT/scripts/npm_vendor.sh"

vendor_exit_if_current "${1:-}"
vendor_fetch
tar -xzf "$TARBALL" -C "$WORK" package/axe.min.js package/LICENSE
vendor_install "$WORK/package/axe.min.js" "$WORK/package/LICENSE"
