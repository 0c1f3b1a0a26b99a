#!/bin/sh
# Installation and packaging: `cmake --install` into a staging folder puts
# the binary, the man page, the completion and the copyright where Debian
# expects them, and `cpack -G DEB` makes a package whose files are the same
# and whose binary runs when unpacked.
#
# Usage: package.sh BUILD_DIR
set -eu
build=${1:?usage: package.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files="usr/bin/sysmon2qql usr/share/man/man1/sysmon2qql.1
usr/share/bash-completion/completions/sysmon2qql
usr/share/doc/sysmon2qql/copyright"

fail() {
    echo "FAIL $1"
    echo "0 passed, 1 failed"
    exit 1
}

DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr >/dev/null
for f in $files; do
    [ -f "$tmp/root/$f" ] || fail "cmake --install did not install /$f"
done
"$tmp/root/usr/bin/sysmon2qql" --version >/dev/null ||
    fail "the installed binary does not run"

(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" \
    -B "$tmp/pkg" >/dev/null) || fail "cpack -G DEB"
deb=$(ls "$tmp"/pkg/*.deb)
for f in $files; do
    dpkg-deb -c "$deb" | grep -q "\./$f\$" || fail "the package lacks /$f"
done
dpkg-deb -f "$deb" Depends | grep -q libcjson ||
    fail "the package does not depend on libcjson"
dpkg-deb -x "$deb" "$tmp/unpacked"
"$tmp/unpacked/usr/bin/sysmon2qql" --version >/dev/null ||
    fail "the packaged binary does not run"
echo "ok   install and package: $(basename "$deb")"
echo "1 passed, 0 failed"
