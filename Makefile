# vmitn — build, test, reproduce.  `make help` lists the targets.
# One binary (vmitn); one cmocka test binary per module (tests/test_<module>.c).

CC      ?= cc
PKGS    := igraph gsl lua5.4 cmocka
DEPS_DEB := gcc libc6-dev make libigraph-dev libgsl-dev liblua5.4-dev libcmocka-dev libpcap-dev gnuplot-nox pkg-config graphviz libcjson-dev
# tshark cross-checks the captures; strace and valgrind let replay.sh/sweep.sh check a
# read-once replay, a worker killed mid-write and the forked workers' memory
DEPS_CHECK := tshark strace valgrind binutils
DEPS_PYTHON := python3 python3-pandas
DEPS_MPI := libopenmpi-dev openmpi-bin
# tests/cli/html.sh opens REPORT.html in it (skipped, exit 77, when it cannot be installed)
DEPS_TEST := chromium
WERROR  ?= $(if $(CI),-Werror,)
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $(WERROR) -Iinclude
ifeq ($(MPI),1)
  CC      := mpicc
  CFLAGS  += -DVMITN_MPI
endif
ifeq ($(SANITIZE),1)
  # float-cast-overflow: gcc's -fsanitize=undefined leaves out float-to-integer overflow
  CFLAGS  += -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined,float-cast-overflow
  BUILD   := build/asan
else ifeq ($(MPI),1)
  BUILD   := build/mpi
else
  BUILD   := build/rel
endif
PKG_CFLAGS = $(shell pkg-config --cflags igraph gsl lua5.4 libpcap libcjson 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs igraph gsl lua5.4 libpcap libcjson 2>/dev/null) -lm
TEST_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null)

SRC      := $(sort $(wildcard src/*/*.c))
MAIN_SRC := src/cli/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TESTS:tests/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/vmitn

# The commit written into --version and every meta file: from git, or read from .git
# itself where git is not installed; "unknown" only outside a repository.
COMMIT := $(shell sh scripts/commit.sh .)
PREFIX  ?= /usr/local
DESTDIR ?=

# keep test objects between runs
.SECONDARY:

.PHONY: all deps check test bench reproduce outbreaks beyond calibrate clean help install FORCE
# ./vmitn points at the release build; a SANITIZE=1 build stays in build/asan/.
all: $(BIN) $(if $(filter 1,$(SANITIZE)),,vmitn)

help:
	@echo "make deps       install missing Debian packages ($(DEPS_DEB); MPI=1: also $(DEPS_MPI))"
	@echo "make MPI=1      build build/mpi/vmitn with OpenMPI (vmitn sweep under mpirun)"
	@echo "make            build ./vmitn"
	@echo "make check      deps + build + every test (SANITIZE=1: under ASan+UBSan)"
	@echo "make reproduce  deps + build + every paper experiment -> results/"
	@echo "make outbreaks  the Internet-scale worms (Code Red v2, Code Red II, Slammer) -> results/"
	@echo "make beyond     beyond the paper: baselines, quarantine, Warhol, patching, captures -> results/"
	@echo "make calibrate  re-fit the parameters the paper does not give"
	@echo "make bench      benchmarks -> docs/BENCHMARKS.md (reported, never asserted)"
	@echo "make install    PREFIX=/usr/local: vmitn, its scenarios, topologies, plot scripts, vmitn(1)"
	@echo "make fuzz       the libFuzzer targets (clang), FUZZ_TIME=60 s each"

deps:
	@sh scripts/deps.sh $(DEPS_DEB) $(if $(filter 1,$(MPI)),$(DEPS_MPI),)

vmitn: build/rel/vmitn
	@ln -sf build/rel/vmitn vmitn

$(BIN): $(BUILD)/src/cli/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# version.o is rebuilt when the commit changes (the stamp is rewritten only then)
$(BUILD)/commit: FORCE
	@mkdir -p $(BUILD) && echo '$(COMMIT)' | cmp -s - $@ || echo '$(COMMIT)' > $@
$(BUILD)/src/cli/version.o: $(BUILD)/commit
$(BUILD)/src/cli/version.o: CFLAGS += -DVMITN_COMMIT='"$(COMMIT)"'

# the manual page, from the same text as `vmitn CMD --help`
$(BUILD)/vmitn.1: $(BIN)
	$(BIN) man > $@.tmp && mv -f $@.tmp $@

# make install PREFIX=... [DESTDIR=...]: the binary, scenarios, topologies, plot scripts
# and vmitn(1); the installed vmitn finds its data in PREFIX/share/vmitn
install: $(BIN) $(BUILD)/vmitn.1
	@sh scripts/install.sh "$(DESTDIR)$(PREFIX)" $(BIN) $(BUILD)/vmitn.1

$(BUILD)/%.o: %.c $(wildcard include/vmitn/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)
# the fixtures tests share (tests/testlib.c): the capture writer, the Fig 8 testbed, a caught child
TESTLIB_USERS := test_pcap test_trace test_model test_defence test_module test_sched test_util
$(TESTLIB_USERS:%=$(BUILD)/tests/%): $(BUILD)/tests/testlib.o
$(BUILD)/tests/testlib.o $(TESTLIB_USERS:%=$(BUILD)/tests/%.o): tests/testlib.h

# The sweep tests also run the MPI build under mpirun (not under the sanitizers).
test: $(TEST_BIN) $(BIN)
	@$(if $(filter 1,$(SANITIZE)),,$(MAKE) --no-print-directory MPI=1 build/mpi/vmitn &&) true
	@VMITN_MPI_BIN=$(if $(filter 1,$(SANITIZE)),,$(CURDIR)/build/mpi/vmitn) sh scripts/run-tests.sh $(BUILD) $(TEST_BIN)

check:
	@sh scripts/deps.sh $(DEPS_DEB) $(DEPS_MPI) $(DEPS_CHECK) $(DEPS_PYTHON)
	@sh scripts/deps.sh $(DEPS_TEST) || echo "vmitn: $(DEPS_TEST) could not be installed: tests/cli/html.sh will be skipped"
	@$(MAKE) --no-print-directory test

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory MPI=1 build/mpi/vmitn 2>/dev/null || true
	sh scripts/bench.sh

reproduce: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/reproduce.sh

outbreaks: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/outbreaks.sh

beyond: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/beyond.sh

calibrate: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/calibrate.sh

clean:
	rm -rf build vmitn

# ---- fuzzing: libFuzzer targets (tests/fuzz/), built with clang under ASan + UBSan ----
# make fuzz [FUZZ_TIME=seconds per target] [FUZZ_TARGETS="graphml pcap ..."]
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_TARGETS ?= graphml pcap compare jobfile scenario replay
FUZZ_CFLAGS  := -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra $(WERROR) -Iinclude \
                -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ     := $(LIB_SRC:%.c=build/fuzz/%.o)

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@sh scripts/fuzz.sh $(FUZZ_TIME) $(FUZZ_TARGETS)

build/fuzz/%.o: %.c $(wildcard include/vmitn/*.h) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)
