#!/bin/sh
# Replay every fuzz target over seeds made from the samples and over the
# inputs saved in the regressions folder (one subfolder per target).
# Usage: replay.sh BIN_DIR SAMPLES_DIR REGRESSIONS_DIR
# $S2Q_MEMCHECK, when set, is a command to run the replays under (the
# valgrind command line of the memcheck build), its words separated by ;.
set -eu
bin=$1 samples=$2 regressions=$3
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 "$(dirname "$0")/seeds.py" "$samples" "$seeds"
for target in record json value lines; do
    set -- "$seeds/$target"
    if [ -d "$regressions/$target" ]; then
        set -- "$@" "$regressions/$target"
    fi
    printf '%s: ' "$target"
    # shellcheck disable=SC2086
    ${S2Q_MEMCHECK:+$(echo "$S2Q_MEMCHECK" | tr ';' ' ')} \
        "$bin/replay_$target" "$@"
done
