#!/bin/sh
# Runs one libFuzzer target over a writable copy of its seed corpus.
#   tests/fuzz/run.sh build/fuzz/fuzz_csv 60
# The corpus is tests/fuzz/corpus/<name> for a target fuzz_<name>. On success prints exactly
# "fuzz <name> ok" (the Makefile's fuzz target and tests/run-all.sh count those lines); on
# a crash, timeout or leak prints the end of the log and the reproducer's path, and exits 1.
# Reproduce with: <target> <reproducer>.
target=$1
seconds=${2:-20}
if [ -z "$target" ] || [ ! -x "$target" ]; then
    echo "usage: $0 TARGET SECONDS (TARGET: a built fuzz target, e.g. build/fuzz/fuzz_csv)" >&2
    exit 2
fi
name=$(basename "$target")
name=${name#fuzz_}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/causa-fuzz-$name.XXXXXX") || exit 1
if [ -d "$here/corpus/$name" ]; then cp "$here/corpus/$name"/* "$work/" 2>/dev/null; fi
artifacts="$(dirname "$target")/crashes-$name"
mkdir -p "$artifacts"
log="$work.log"
# Undefined behaviour is a failure too (the fuzz build lets UBSan continue by default).
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS
"$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work" >"$log" 2>&1
status=$?
if [ "$status" = 0 ]; then
    echo "fuzz $name ok"
    rm -rf "$work" "$log"
    exit 0
fi
tail -n 40 "$log"
repro=$(grep -o "Test unit written to [^ ]*" "$log" | tail -n 1 | sed 's/Test unit written to //')
echo "fuzz $name FAILED (exit $status); reproducer: ${repro:-none written}; log: $log"
echo "reproduce with: $target ${repro:-<reproducer>}"
rm -rf "$work"
exit 1
