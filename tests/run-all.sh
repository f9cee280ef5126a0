#!/bin/sh
# Runs every test: Python tests, the fuzz targets for a bounded time, then the C runner
# (unit tests and golden CLI cases). Ends with one line "N passed, N failed" counting all
# of them; exit status 0 only if none failed.
# Environment: BUILD (build folder), PYTHON, SAN (1: sanitizer build), FUZZ_SECONDS.
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
passed=0
failed=0
skipped=0

# ---- Python (against the plain build's libcausa.so; not under sanitizers, which would need
# the sanitizer runtime preloaded into the interpreter) ----
if [ "$SAN" = 1 ]; then
    echo "python tests: skipped under SAN=1 (they run in the plain 'make test')"
    skipped=$((skipped + 1))
else
    log=$(mktemp)
    CAUSA_LIB="$PWD/$BUILD/libcausa.so" PYTHONPATH="$PWD/python" \
        "$PYTHON" -m unittest discover -s python/tests -t python >"$log" 2>&1
    status=$?
    tail -n 40 "$log" | grep -v '^\.*$' | tail -n 25
    ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$log")
    bad=$(sed -n 's/^FAILED (\(.*\))/\1/p' "$log" | grep -o '\(failures\|errors\)=[0-9]*' | awk -F= '{s += $2} END {print s + 0}')
    ran=${ran:-0}
    bad=${bad:-0}
    if [ "$status" != 0 ] && [ "$bad" = 0 ]; then bad=1; fi
    echo "python: $((ran - bad)) passed, $bad failed"
    passed=$((passed + ran - bad))
    failed=$((failed + bad))
    rm -f "$log"
fi

# ---- fuzzing: each target runs FUZZ_SECONDS over its seed corpus ----
if [ "$FUZZ_SECONDS" -gt 0 ] 2>/dev/null && command -v clang >/dev/null; then
    if make --no-print-directory fuzz FUZZ_SECONDS="$FUZZ_SECONDS" >build-fuzz.log 2>&1; then
        n=$(grep -c '^fuzz .* ok$' build-fuzz.log)
        echo "fuzz: $n targets ran ${FUZZ_SECONDS}s each without a crash"
        passed=$((passed + n))
    else
        tail -n 40 build-fuzz.log
        echo "fuzz: FAILED (log: build-fuzz.log)"
        failed=$((failed + 1))
    fi
    rm -f build-fuzz.log
else
    echo "fuzz: skipped (clang missing or FUZZ_SECONDS=0)"
    skipped=$((skipped + 1))
fi

# ---- the shared library exports exactly the header's functions ----
if tools/check-api.sh "$BUILD/libcausa.so"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi

# ---- C unit tests and golden CLI cases ----
out=$(mktemp)
"$BUILD/run-tests" --build "$BUILD" 2>&1 | tee "$out" | grep -v ' passed, .* failed$'
line=$(tail -n 1 "$out")
p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$p" ] || { p=0; f=1; echo "C runner did not finish: $line"; }
echo "C unit + golden: $p passed, $f failed"
rm -f "$out"
passed=$((passed + p))
failed=$((failed + f))

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
