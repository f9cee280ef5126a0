# config.mk: build settings. Override on the command line: make SAN=1, make DEBUG=1,
# make OPENMP=0, make CC=clang, make BLAS=blas (pkg-config name), make PREFIX=/opt/causa.
CC ?= cc
PREFIX ?= /usr/local
BLAS ?= openblas
OPENMP ?= 1
SAN ?= 0
DEBUG ?= 0
# Debian's python3 (python3-numpy installs there), not whatever python3 comes first on PATH.
PYTHON ?= /usr/bin/python3
# Seconds each libFuzzer target runs during `make test`.
FUZZ_SECONDS ?= 20
