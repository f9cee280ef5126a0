#!/bin/sh
# Checks that libcausa.so exports exactly the functions that the public headers declare:
# nothing internal leaks out, and nothing declared is missing.
# Usage: tools/check-api.sh build/libcausa.so
set -e
lib=${1:-build/libcausa.so}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "R" || $2 == "B" {print $3}' \
    | grep -v '^_' | sort -u >"$tmp/exported"
# Declarations: a causa_ name followed by '(' at the start of a declarator, outside comments.
cat include/causa.h include/causa/*.h | sed 's|/\*.*\*/||g' | awk '
    /\/\*/ {c = 1} c && /\*\// {c = 0; next} c {next} {print}' \
    | grep -v '^\s*static inline' | grep -o '\bcausa_[a-z0-9_]*\s*(' | tr -d ' (' | sort -u >"$tmp/declared"
# Function-pointer typedefs (causa_alloc_fn ...) and static inline helpers are not exported.
grep -o 'typedef [^;]*(\*causa_[a-z0-9_]*)' include/causa.h include/causa/*.h \
    | grep -o 'causa_[a-z0-9_]*' | sort -u >"$tmp/typedefs"
grep -ho 'static inline [^(]*\bcausa_[a-z0-9_]*\s*(' include/causa/*.h \
    | grep -o 'causa_[a-z0-9_]*' | sort -u >"$tmp/inline"
cat "$tmp/typedefs" "$tmp/inline" | sort -u >"$tmp/skip"
comm -23 "$tmp/declared" "$tmp/skip" >"$tmp/want"
extra=$(comm -13 "$tmp/want" "$tmp/exported")
missing=$(comm -23 "$tmp/want" "$tmp/exported")
status=0
if [ -n "$extra" ]; then echo "exported but not declared in the headers:"; echo "$extra"; status=1; fi
if [ -n "$missing" ]; then echo "declared but not exported (not implemented?):"; echo "$missing"; status=1; fi
[ $status = 0 ] && echo "api: $(wc -l <"$tmp/want") functions exported, exactly the header's"
exit $status
