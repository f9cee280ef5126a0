#!/bin/sh
# Installs the Debian packages a step needs, only those that are missing.
# Usage: tools/install-deps.sh build|test|demo|bench
# As root it runs apt-get; otherwise it names what is missing and fails.
set -e
need="gcc make pkg-config libopenblas-dev liblapacke-dev libjansson-dev"
case "$1" in
    build) ;;
    test) need="$need python3 python3-numpy clang libclang-rt-14-dev graphviz" ;;
    demo) need="$need graphviz" ;;
    bench) need="$need python3 python3-numpy python3-pandas" ;;
    *) echo "usage: $0 build|test|demo|bench" >&2; exit 2 ;;
esac
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "causa: missing Debian packages:$missing" >&2
    echo "causa: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "causa: installing missing packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when an install cannot find a package without it.
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/tmp/causa-apt.log 2>&1 || {
    apt-get update -q >>/tmp/causa-apt.log 2>&1
    apt-get install -y -q --no-install-recommends $missing >>/tmp/causa-apt.log 2>&1 || {
        tail -20 /tmp/causa-apt.log >&2
        echo "causa: apt-get install failed (log: /tmp/causa-apt.log)" >&2
        exit 1
    }
}
