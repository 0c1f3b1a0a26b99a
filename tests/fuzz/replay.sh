#!/bin/sh
# Replay every fuzz target over seeds made from the samples and over the
# inputs saved in the regressions folder (one subfolder per target).
# Usage: replay.sh BIN_DIR SAMPLES_DIR REGRESSIONS_DIR
set -eu
bin=$1 samples=$2 regressions=$3
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 "$(dirname "$0")/seeds.py" "$samples" "$seeds"
for target in record json value; do
    set -- "$seeds/$target"
    if [ -d "$regressions/$target" ]; then
        set -- "$@" "$regressions/$target"
    fi
    printf '%s: ' "$target"
    "$bin/replay_$target" "$@"
done
