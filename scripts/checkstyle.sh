#!/bin/sh
# House-style check for the C sources (see docs/CONTRIBUTING.md): fails on
# lines over 80 columns (a line holding only a string literal may be
# longer, so that messages stay greppable), tabs, trailing spaces, C++
# comments, and TODO/FIXME/XXX marks (known gaps belong in
# docs/KNOWN_ISSUES.md).
cd "$(dirname "$0")/.." || exit 2
files=$(ls src/*.c src/*.h include/s2q/*.h tests/*.c tests/*.h tests/fuzz/*.c \
    2>/dev/null)
status=0

report() {
    echo "checkstyle: $1"
    status=1
}

for f in $files; do
    awk -v f="$f" '
        length($0) > 80 && $0 !~ /^[ \t]*"[^"]*("|"[,;)]*)$/ {
            printf "%s:%d: line over 80 columns\n", f, NR
        }
        /\t/ { printf "%s:%d: tab\n", f, NR }
        / +$/ { printf "%s:%d: trailing space\n", f, NR }
        /^[^"]*\/\// { printf "%s:%d: C++ comment\n", f, NR }
        /(^|[^A-Za-z])(TODO|FIXME|XXX)([^A-Za-z]|$)/ { printf "%s:%d: TODO-style mark\n", f, NR }
    ' "$f" > /tmp/checkstyle.$$
    if [ -s /tmp/checkstyle.$$ ]; then
        while IFS= read -r line; do
            report "$line"
        done < /tmp/checkstyle.$$
    fi
    rm -f /tmp/checkstyle.$$
done
[ $status = 0 ] && echo "checkstyle: $(echo "$files" | wc -w) files clean"
exit $status
