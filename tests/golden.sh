#!/bin/sh
# Golden tests: run sysmon2qql on every samples/*/X.json and compare its
# output, byte for byte, with X.expected.jsonl; when X.expected.err exists,
# compare standard error with it too, and when X.args exists, pass the
# options it holds (one line). Every sample is also fed gzip-compressed on
# standard input, as one gzip member and as two (split between lines):
# the output must be the same.
#
# Usage: S2Q_BIN=path/to/sysmon2qql golden.sh SAMPLES_DIR
# To rewrite the expected files after a reviewed change:
#   S2Q_BIN=... S2Q_UPDATE=1 golden.sh SAMPLES_DIR
set -u
samples=${1:?usage: golden.sh SAMPLES_DIR}
bin=${S2Q_BIN:?set S2Q_BIN to the sysmon2qql binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
for input in "$samples"/*/*.json; do
    base=${input%.json}
    expected=$base.expected.jsonl
    [ -f "$expected" ] || continue
    args=
    [ -f "$base.args" ] && args=$(cat "$base.args")
    # Run from the sample's folder so that messages name the file alone.
    (cd "$(dirname "$input")" &&
        # shellcheck disable=SC2086
        "$bin" $args "$(basename "$input")" >"$tmp/out" 2>"$tmp/err")
    if [ "${S2Q_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$expected"
        if [ -s "$tmp/err" ] || [ -f "$base.expected.err" ]; then
            cp "$tmp/err" "$base.expected.err"
        fi
    fi
    ok=1
    cmp -s "$tmp/out" "$expected" || ok=0
    # shellcheck disable=SC2086
    gzip -c "$input" | "$bin" $args >"$tmp/gz1" 2>/dev/null
    half=$(( ($(wc -l <"$input") + 1) / 2 ))
    { head -n "$half" "$input" | gzip -c; tail -n "+$((half + 1))" "$input" |
        gzip -c; } >"$tmp/two.gz"
    # shellcheck disable=SC2086
    "$bin" $args <"$tmp/two.gz" >"$tmp/gz2" 2>/dev/null
    if [ "${S2Q_UPDATE:-}" != 1 ]; then
        cmp -s "$tmp/gz1" "$expected" || { ok=0; echo "gzip differs"; }
        cmp -s "$tmp/gz2" "$expected" || { ok=0; echo "2 members differ"; }
    fi
    if [ -f "$base.expected.err" ]; then
        cmp -s "$tmp/err" "$base.expected.err" || ok=0
    elif [ -s "$tmp/err" ]; then
        ok=0
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
        echo "ok   $input"
    else
        failed=$((failed + 1))
        echo "FAIL $input"
        diff "$expected" "$tmp/out" | head -20
        [ -f "$base.expected.err" ] && diff "$base.expected.err" "$tmp/err"
        [ -f "$base.expected.err" ] || cat "$tmp/err"
    fi
done
echo "$passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
