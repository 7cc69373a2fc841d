# Shared steps of the vendoring scripts (vendor_webchat.sh, vendor_axe.sh); source it after
# setting PACKAGE, VERSION, INTEGRITY (`npm view PACKAGE@VERSION dist.integrity`), TARGET (the
# install folder), FILE (the vendored file's name in TARGET) and TAG (the prefix of messages).
#
# A package is fetched with `npm pack` (no install, so no package scripts run) and checked
# against its pinned SHA-512 before anything of it is used.

STAMP="$TARGET/VERSION"

# Exit 0 from the calling script when the installed copy already matches (unless --force).
vendor_exit_if_current() {
    if [[ "${1:-}" != "--force" && -f "$TARGET/$FILE" && -f "$STAMP" \
          && "$(cat "$STAMP")" == "$PACKAGE@$VERSION" ]]; then
        echo "$TAG: $PACKAGE@$VERSION already vendored in ${TARGET#"$ROOT"/}"
        exit 0
    fi
}

# Fetch and verify the tarball into $WORK (a temporary folder removed on exit); sets TARBALL.
vendor_fetch() {
    command -v npm >/dev/null || { echo "$TAG: npm is required (apt-get install npm)" >&2; exit 1; }
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
    (cd "$WORK" && npm pack --silent --ignore-scripts "$PACKAGE@$VERSION" >/dev/null)
    TARBALL="$WORK/$PACKAGE-$VERSION.tgz"
    local actual
    actual="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
    if [[ "$actual" != "$INTEGRITY" ]]; then
        echo "$TAG: checksum mismatch for $PACKAGE@$VERSION: $actual" >&2
        exit 1
    fi
}

# Install the prepared file ($1) and the package's licence ($2) as $TARGET/$FILE, atomically.
vendor_install() {
    mkdir -p "$TARGET"
    install -m 0644 "$1" "$TARGET/$FILE.tmp"
    install -m 0644 "$2" "$TARGET/LICENSE"
    mv "$TARGET/$FILE.tmp" "$TARGET/$FILE"
    echo "$PACKAGE@$VERSION" > "$STAMP"
    echo "$TAG: vendored $PACKAGE@$VERSION into ${TARGET#"$ROOT"/}"
}
