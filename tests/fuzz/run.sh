#!/bin/sh
# Build the libFuzzer targets with clang (AddressSanitizer and UBSan on)
# and run each for a while, seeded from the samples and the saved
# regression inputs.
#
# Usage: tests/fuzz/run.sh [SECONDS [TARGET...]]
#   SECONDS  how long each target runs (default 60)
#   TARGET   record, json, value or lines (default: all four, one after
#            another)
#
# Builds in $S2Q_FUZZ_BUILD (default: build-fuzz at the top of the source
# tree), which keeps each target's corpus (corpus/TARGET) from run to run.
# An input that crashes, hangs or leaks is written to
# artifacts/TARGET-crash-*, ...-timeout-* or ...-leak-*, and the script
# exits 1: copy it to tests/fuzz/regressions/TARGET/ once it is fixed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${S2Q_FUZZ_BUILD:-$top/build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-record json value lines}

CC=clang cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DS2Q_FUZZ=ON -DS2Q_SANITIZE=ON >/dev/null
cmake --build "$build" -j2 --target fuzz_record fuzz_json fuzz_value fuzz_lines \
    >/dev/null
rm -rf "$build/seeds"
python3 "$top/tests/fuzz/seeds.py" "$top/samples" "$build/seeds"
mkdir -p "$build/artifacts"

status=0
for target in $targets; do
    mkdir -p "$build/corpus/$target"
    set -- "$build/corpus/$target" "$build/seeds/$target"
    if [ -d "$top/tests/fuzz/regressions/$target" ]; then
        set -- "$@" "$top/tests/fuzz/regressions/$target"
    fi
    log=$build/$target.log
    if "$build/tests/fuzz_$target" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" "$@" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    took=$(sed -n 's/^stat::\(average_exec_per_sec\): *//p' "$log")
    echo "fuzz_$target: $result, ${seconds} s, ${runs:-?} executions" \
        "(${took:-?}/s), corpus $(ls "$build/corpus/$target" | wc -l) inputs"
    if [ $result = FAILED ]; then
        grep -E 'ERROR|SUMMARY|Test unit written|fuzz_[a-z]+:' "$log" |
            head -20
    fi
done
exit $status
