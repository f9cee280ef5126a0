# causa: one non-recursive GNU Makefile. Settings live in config.mk.
#   make            build/libcausa.a, build/libcausa.so, build/causa
#   make test       install what the tests need, build, run every test
#   make demo       install what the demo needs, build, run the main job on data/sachs.csv
#   make bench      run every benchmark in bench/ and print one table
#   make install PREFIX=...   header, libraries, CLI, causa.pc
include config.mk

# Each variant builds in a folder of its own, so switching never mixes objects.
ifeq ($(SAN),1)
BUILD ?= build/san
else ifeq ($(DEBUG),1)
BUILD ?= build/debug
else
BUILD ?= build
endif

# Parallel jobs for the builds that `make test` and `make demo` start.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

WARN := -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes \
        -Wdouble-promotion -Wwrite-strings -Wno-unused-parameter
# CI turns warnings into errors, except in the sanitizer build: instrumented code at -O1
# gives gcc's flow-based warnings (maybe-uninitialized, format-truncation) false positives.
ifeq ($(CI)$(SAN),true0)
WARN += -Werror
endif

PKGS := $(BLAS) jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# LAPACKE ships no .pc file on some Debian releases; OpenBLAS's library contains LAPACK.
LAPACK_LIBS := $(shell pkg-config --libs lapacke 2>/dev/null || echo -llapacke)

OPT := -O2 -g
ifeq ($(DEBUG),1)
OPT := -O0 -g3
endif
SANFLAGS :=
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
endif
OMPFLAGS :=
ifeq ($(OPENMP),1)
OMPFLAGS := -fopenmp
endif

CPPFLAGS += -Iinclude -DCAUSA_OPENMP=$(OPENMP)
CFLAGS += -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE $(OPT) $(WARN) -fPIC \
          -fvisibility=hidden $(SANFLAGS) $(OMPFLAGS) $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) $(LAPACK_LIBS) -lm
LDFLAGS += $(SANFLAGS) $(OMPFLAGS)

LIB_SRC := $(sort $(wildcard src/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
HEADERS := include/causa.h $(wildcard include/causa/*.h)

.PHONY: all test test-c test-python fuzz demo bench install clean deps deps-test deps-demo \
        check-api golden-update format lint
all: $(BUILD)/libcausa.a $(BUILD)/libcausa.so $(BUILD)/causa

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcausa.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The soname carries the ABI version; the link libcausa.so.0 lets the CLI run from $(BUILD).
$(BUILD)/libcausa.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libcausa.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)
	ln -sf libcausa.so $(BUILD)/libcausa.so.0

# The CLI links the shared library, so it can use nothing but what causa.h exports.
$(BUILD)/causa: $(CLI_OBJ) $(BUILD)/libcausa.so
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) -L$(BUILD) -lcausa \
	    -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' $(LDLIBS)

# The unit tests link the static library: they may test internals too.
$(BUILD)/run-tests: $(TEST_OBJ) $(BUILD)/libcausa.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libcausa.a $(LDLIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- set-up: install missing Debian packages (only when root and only what is missing) ----
deps:
	@tools/install-deps.sh build
deps-test:
	@tools/install-deps.sh test
deps-demo:
	@tools/install-deps.sh demo

# ---- tests ----
test: deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) all $(BUILD)/run-tests
	@BUILD=$(BUILD) PYTHON=$(PYTHON) SAN=$(SAN) FUZZ_SECONDS=$(FUZZ_SECONDS) CC=$(CC) tests/run-all.sh

test-c: all $(BUILD)/run-tests
	$(BUILD)/run-tests --build $(BUILD)

golden-update: all $(BUILD)/run-tests
	$(BUILD)/run-tests --build $(BUILD) --update-golden golden

# The .so must export exactly what the header declares.
check-api: $(BUILD)/libcausa.so
	tools/check-api.sh $(BUILD)/libcausa.so

# ---- fuzzing (clang's libFuzzer) ----
# The library is compiled once with coverage and sanitizers (fuzzer-no-link), then each
# target links it with libFuzzer's main.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CFLAGS := -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -g -O1 -Iinclude -DCAUSA_OPENMP=0 \
               -fsanitize=fuzzer-no-link,address,undefined $(PKG_CFLAGS)
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) $(LAPACK_LIBS) -lm
-include $(shell find build/fuzz/obj -name '*.d' 2>/dev/null)
fuzz:
	@$(MAKE) --no-print-directory -j$(JOBS) $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do tests/fuzz/run.sh $$f $(FUZZ_SECONDS) || exit 1; done

# ---- demo ----
demo: deps-demo
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@tools/demo.sh $(BUILD)

# ---- benchmarks ----
BENCH_BIN := $(patsubst bench/bench_%.c,$(BUILD)/bench-%,$(sort $(wildcard bench/bench_*.c)))
bench: all $(BENCH_BIN)
	@tools/install-deps.sh bench || true
	@BUILD=$(BUILD) PYTHON=$(PYTHON) bench/run.sh

$(BUILD)/bench-%: bench/bench_%.c $(BUILD)/libcausa.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcausa.a $(LDLIBS)

# ---- install ----
install: all
	install -d $(DESTDIR)$(PREFIX)/include/causa $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/causa.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/causa/*.h $(DESTDIR)$(PREFIX)/include/causa/
	install -m 644 $(BUILD)/libcausa.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcausa.so $(DESTDIR)$(PREFIX)/lib/libcausa.so.0
	ln -sf libcausa.so.0 $(DESTDIR)$(PREFIX)/lib/libcausa.so
	install -m 755 $(BUILD)/causa $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell tools/version.sh)|' \
	    -e 's|@REQUIRES@|$(PKGS)|' causa.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/causa.pc

format:
	clang-format -i include/*.h include/causa/*.h src/*.h src/*/*.c src/*/*.h cli/*.c cli/*.h tests/unit/*.c tests/unit/*.h
lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 -Iinclude src cli

clean:
	rm -rf build
