#!/bin/sh
# Prints causa's version as the header defines it.
cd "$(dirname "$0")/.." || exit 1
awk '/define CAUSA_VERSION_(MAJOR|MINOR|PATCH) /{v = v (v == "" ? "" : ".") $3} END {print v}' include/causa/core.h
