# vigil - sanctions screening. `make run` and `make test` do everything on a
# fresh Debian 12 machine (scripts/install-deps installs what is missing).

CC      ?= cc
SHARED  ?= ../shared
PKGS     = libxml-2.0 sqlite3 icu-uc icu-i18n jansson libcrypto zlib libmicrohttpd libcurl libargon2
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Werror \
           -Wno-format-truncation  # messages are cut to their buffers on purpose
BASE     = -std=c11 -D_DEFAULT_SOURCE $(WARN) -Iinclude -Isrc
OPT     ?= -O2 -g
LIBS     = -lcsv -lpthread -lm

LIB_SRC  = $(wildcard src/*/*.c)
CLI_SRC  = $(wildcard cli/*.c cli/serve/*.c)
TEST_SRC = $(wildcard tests/*.c)
# bench_peers needs PostgreSQL's client library: built by bench/peers.sh
BENCH    = $(patsubst bench/%.c,build/bench/%,$(filter-out bench/bench_peers.c,$(wildcard bench/*.c)))
# fuzz targets: one per fuzz/fuzz_NAME.c, and fuzz/fuzz_list.c once per list
# format's corpus (every fuzz/corpus/NAME folder without a target of its own)
OWN_FUZZ  = $(filter-out list,$(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c)))
LIST_FUZZ = $(filter-out $(OWN_FUZZ) batch,$(notdir $(wildcard fuzz/corpus/*)))
FUZZ      = $(OWN_FUZZ) $(LIST_FUZZ)

.PHONY: all deps run test test-asan bench bench-peers fuzz clean tidy data format pg install-pg bench-pg
all: build/vigil

deps:
	@scripts/install-deps

# pkg-config is asked only once the packages are there.
build/flags.mk: scripts/install-deps | deps
	@mkdir -p build
	@echo "PKG_CFLAGS = $$(pkg-config --cflags $(PKGS))" > $@
	@echo "PKG_LIBS = $$(pkg-config --libs $(PKGS))" >> $@
-include build/flags.mk

# The name data the library carries (data/README.md): built into it.
DATA = data/given-names.txt.gz data/nicknames.csv data/legal-forms.tsv
build/name_data.c: $(DATA) scripts/embed-data
	@mkdir -p build
	@scripts/embed-data $@
build/obj/name_data.o: build/name_data.c src/internal.h
	@echo '  CC      $<'
	@$(CC) $(BASE) -O0 -c $< -o $@
build/asan/obj/name_data.o: build/obj/name_data.o
	@mkdir -p $(dir $@)
	@cp $< $@

# --- release build -----------------------------------------------------------
OBJ = $(patsubst %.c,build/obj/%.o,$(LIB_SRC)) build/obj/name_data.o
build/obj/src/%.o: src/%.c include/vigil.h $(wildcard src/*.h src/*/*.h) build/flags.mk
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(CC) $(BASE) $(OPT) $(PKG_CFLAGS) -c $< -o $@

build/libvigil.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

# the analysts' page, embedded in the binary
build/web_assets.c: $(wildcard web/*) scripts/embed-web
	@mkdir -p build
	@scripts/embed-web $@

build/vigil: $(CLI_SRC) cli/web.h build/web_assets.c build/libvigil.a
	@echo '  LD      $@'
	@$(CC) $(BASE) $(OPT) $(PKG_CFLAGS) -Icli $(CLI_SRC) build/web_assets.c build/libvigil.a $(PKG_LIBS) $(LIBS) -o $@

build/tests: $(TEST_SRC) tests/test.h build/libvigil.a
	@echo '  LD      $@'
	@$(CC) $(BASE) $(OPT) $(PKG_CFLAGS) $(TEST_SRC) build/libvigil.a $(PKG_LIBS) $(LIBS) -o $@

# (cli/batch.c is built on the public API; bench_batch drives it directly)
build/bench/%: bench/%.c bench/bench.h bench/positives.h cli/batch.c cli/batch.h build/libvigil.a
	@mkdir -p build/bench
	@echo '  LD      $@'
	@$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) $< cli/batch.c build/libvigil.a $(PKG_LIBS) $(LIBS) -o $@

build/bench/bench_peers: bench/bench_peers.c bench/bench.h bench/positives.h build/libvigil.a
	@mkdir -p build/bench
	@echo '  LD      $@'
	@$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) $$(pkg-config --cflags libpq) $< build/libvigil.a \
	    $(PKG_LIBS) $$(pkg-config --libs libpq) $(LIBS) -o $@

# --- sanitizer build: AddressSanitizer (with LeakSanitizer) and UBSan ---------
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_OBJ = $(patsubst %.c,build/asan/obj/%.o,$(LIB_SRC)) build/asan/obj/name_data.o
build/asan/obj/src/%.o: src/%.c include/vigil.h $(wildcard src/*.h src/*/*.h) build/flags.mk
	@mkdir -p $(dir $@)
	@echo '  CC asan $<'
	@$(CC) $(BASE) -O1 -g $(SAN) $(PKG_CFLAGS) -c $< -o $@

build/asan/tests: $(TEST_SRC) tests/test.h $(ASAN_OBJ)
	@echo '  LD      $@'
	@$(CC) $(BASE) -O1 -g $(SAN) $(PKG_CFLAGS) $(TEST_SRC) $(ASAN_OBJ) $(PKG_LIBS) $(LIBS) -o $@

build/asan/vigil: $(CLI_SRC) cli/web.h build/web_assets.c $(ASAN_OBJ)
	@echo '  LD      $@'
	@$(CC) $(BASE) -O1 -g $(SAN) $(PKG_CFLAGS) -Icli $(CLI_SRC) build/web_assets.c $(ASAN_OBJ) $(PKG_LIBS) $(LIBS) -o $@

# Replays every fuzz corpus through the parsers without a fuzzer.
build/asan/replay: fuzz/replay.c fuzz/targets.h fuzz/batch_target.h cli/batch.c cli/batch.h cli/request.c cli/request.h $(ASAN_OBJ)
	@echo '  LD      $@'
	@$(CC) $(BASE) -O1 -g $(SAN) $(PKG_CFLAGS) fuzz/replay.c cli/batch.c cli/request.c $(ASAN_OBJ) \
	    $(PKG_LIBS) $(LIBS) -o $@

# --- the PostgreSQL extension (pg/, docs/postgres.md) -------------------------
# The library again, position-independent, linked into the extension's
# shared object; PGXS builds it out of tree in build/pg.
PIC_OBJ = $(patsubst %.c,build/pic/obj/%.o,$(LIB_SRC)) build/pic/obj/name_data.o
build/pic/obj/src/%.o: src/%.c include/vigil.h $(wildcard src/*.h src/*/*.h) build/flags.mk
	@mkdir -p $(dir $@)
	@echo '  CC pic  $<'
	@$(CC) $(BASE) $(OPT) -fPIC $(PKG_CFLAGS) -c $< -o $@
build/pic/obj/name_data.o: build/name_data.c src/internal.h
	@mkdir -p $(dir $@)
	@$(CC) $(BASE) -O0 -fPIC -c $< -o $@
build/pic/libvigil.a: $(PIC_OBJ)
	@rm -f $@
	@ar rcs $@ $^

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PGXS_ARGS = -C build/pg -f $(CURDIR)/pg/Makefile VPATH=$(CURDIR)/pg PG_CONFIG=$(PG_CONFIG) \
            VIGIL_LIB=$(CURDIR)/build/pic/libvigil.a VIGIL_CFLAGS="-I$(CURDIR)/include" \
            VIGIL_LIBS="-Wl,--as-needed $(PKG_LIBS) $(LIBS)"
pg: deps build/pic/libvigil.a
	@mkdir -p build/pg
	@$(MAKE) --no-print-directory -s $(PGXS_ARGS)
# installs into the PostgreSQL that PG_CONFIG names (as root, or its owner)
install-pg: pg
	@$(MAKE) --no-print-directory -s $(PGXS_ARGS) install

# --- the two promised commands ------------------------------------------------
DB ?= vigil.db
LISTS = $(SHARED)/lists/un/un-consolidated-2026-02-27.xml \
        $(SHARED)/lists/eu/eu-fsf-rebuilt-2026-08-14.xml \
        $(SHARED)/lists/uk/uk-sanctions-list-rebuilt-2026-04-16.xml \
        $(SHARED)/lists/ofac/sdn-csv-2022-01

# The main job: load the official lists, then screen: one name across scripts,
# a payment message that must be held, and a batch of 2,000 synthetic
# customers (results in build/run-batch.jsonl).
run: deps build/vigil
	build/vigil load --db $(DB) $(LISTS)
	build/vigil lists --db $(DB)
	build/vigil show --db $(DB) un:QDi.276
	build/vigil compare "Александр Бастрыкин" "BASTRYKIN, Aleksandr Ivanovich"
	build/vigil screen --db $(DB) "Александр Бастрыкин"
	build/vigil screen-message --db $(DB) tests/data/payments/pacs008-hold.xml; [ $$? -eq 3 ]
	build/vigil batch --db $(DB) $(SHARED)/eval/screening/negatives-dev-global.csv \
	    > build/run-batch.jsonl
	@echo "batch results: build/run-batch.jsonl ($$(grep -c '"match":true' build/run-batch.jsonl) lines with an alert)"

test: deps build/vigil build/tests build/asan/tests build/asan/vigil build/asan/replay pg
	@SHARED=$(abspath $(SHARED)) scripts/run-tests

bench: deps $(BENCH) build/vigil
	@for b in $(BENCH); do echo "== $$b"; SHARED=$(abspath $(SHARED)) $$b || exit 1; done
	@echo "== bench/bench_http.sh"; SHARED=$(abspath $(SHARED)) bench/bench_http.sh build/vigil
	@echo "== bench/bench_pg.sh"; SHARED=$(abspath $(SHARED)) bench/bench_pg.sh
	@echo "== bench/peers.sh"; SHARED=$(abspath $(SHARED)) bench/peers.sh

# 1,000,000 customers screened inside PostgreSQL, beside vigil batch and
# pg_trgm, and the engine's memory with 8 backends (docs/postgres.md)
bench-pg: deps build/vigil
	@SHARED=$(abspath $(SHARED)) bench/bench_pg.sh

# vigil against PostgreSQL pg_trgm and a brute-force scan: bench/RESULTS.md
bench-peers: deps build/libvigil.a
	@SHARED=$(abspath $(SHARED)) bench/peers.sh

# libFuzzer targets (clang); FUZZ_SECONDS each. New crashes land in fuzz/crashes/.
FUZZ_SECONDS ?= 60
$(patsubst %,build/fuzz/%,$(LIST_FUZZ)): build/fuzz/%: fuzz/fuzz_list.c fuzz/targets.h $(LIB_SRC) build/flags.mk build/obj/name_data.o
	@mkdir -p build/fuzz
	clang $(BASE) -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) \
	    -DVIGIL_FUZZ_FORMAT='"$*"' $< $(LIB_SRC) build/obj/name_data.o $(PKG_LIBS) $(LIBS) -o $@
build/fuzz/%: fuzz/fuzz_%.c fuzz/targets.h fuzz/batch_target.h $(LIB_SRC) cli/batch.c cli/request.c build/flags.mk build/obj/name_data.o
	@mkdir -p build/fuzz
	clang $(BASE) -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) $< $(LIB_SRC) build/obj/name_data.o \
	    $(if $(filter batch,$*),cli/batch.c) $(if $(filter request,$*),cli/request.c) \
	    $(PKG_LIBS) $(LIBS) -o $@
fuzz: deps $(patsubst %,build/fuzz/%,$(FUZZ))
	@mkdir -p fuzz/crashes
	@for t in $(FUZZ); do echo "== fuzz $$t"; mkdir -p build/fuzz/corpus-$$t; \
	  build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -artifact_prefix=fuzz/crashes/$$t- build/fuzz/corpus-$$t fuzz/corpus/$$t || exit 1; done

# Developers only: derives data/ from ../shared (data/README.md); commit the
# result. A build reads data/, never ../shared.
data: build/libvigil.a tools/namedata.c
	@$(CC) $(BASE) -O2 $(PKG_CFLAGS) tools/namedata.c build/libvigil.a $(PKG_LIBS) $(LIBS) -o build/namedata
	build/namedata $(SHARED)/eval/names/given-name-equivalents.txt.gz data/given-names.txt.gz
	cp $(SHARED)/eval/names/nicknames-groups.csv data/nicknames.csv
	cp $(SHARED)/eval/legal-forms/org_types.yml data/org_types.yml
	@$(CC) $(BASE) -O2 $(PKG_CFLAGS) tools/legaldata.c build/libvigil.a $(PKG_LIBS) $(LIBS) -o build/legaldata
	build/legaldata data/org_types.yml data/legal-forms.tsv

# Formats every C file of the repository as .clang-format says; make test
# checks that nothing would change (scripts/format --check).
format: deps
	@scripts/format

clean:
	rm -rf build
