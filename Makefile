# gongdan: the two commands a newcomer needs are `make run` and `make test`.
PORT ?= 8080
ARGS ?=
DB ?= data/gongdan.db
PG_DIR ?= data/pg
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build server web run run-pg run-cluster install-link test test-fast test-asan fuzz bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD) -j $(JOBS)

# The server binary alone (no test binaries). The compiler's progress goes to $(BUILD)/build.log
# and is shown only when the build fails, so `make run` prints what a person needs.
server: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD) -j $(JOBS) --target gongdan > $(BUILD)/build.log 2>&1 || \
	  { tail -40 $(BUILD)/build.log; echo "the build failed; the whole log is $(BUILD)/build.log"; exit 1; }

# The workbench (web/), rebuilt only when one of its sources is newer than web/dist/index.html.
WEB_SRC := $(shell find web/src web/scripts web/index.html web/package.json web/package-lock.json docs/openapi.json \
                        web/vite.config.ts web/tsconfig.json 2>/dev/null)
web: deps web/dist/index.html

web/dist/index.html: $(WEB_SRC)
	@echo "building the workbench (web/, about half a minute) ..."
	@mkdir -p $(BUILD)
	@cd web && npm run --silent build > ../$(BUILD)/web-build.log 2>&1 || \
	  { tail -40 ../$(BUILD)/web-build.log; echo "the workbench build failed; the whole log is $(BUILD)/web-build.log"; exit 1; }
	@touch $@

# Starts the product: demo data on first run, the server on 127.0.0.1:$(PORT).
run: server web
	@mkdir -p $(dir $(DB))
	@new=0; [ -f $(DB) ] || new=1; \
	  scripts/serve-demo $(BUILD)/gongdan sqlite:$(DB) $(dir $(DB)) $(PORT) $$new $(ARGS)

# The same on PostgreSQL 15: a cluster of its own in $(PG_DIR)/cluster (made with the demo on the
# first run, stopped when the server stops; rm -rf $(PG_DIR) starts over).
run-pg: server web
	@scripts/run-pg $(BUILD)/gongdan $(PG_DIR) $(PORT) $(ARGS)

# Three nodes on one throwaway PostgreSQL (under data/cluster) behind nginx on 127.0.0.1:$(PORT),
# with the demo; Ctrl-C stops it all (scripts/run-cluster).
run-cluster: server web
	@scripts/run-cluster $(BUILD)/gongdan $(PORT) data/cluster

# A link ~/.local/bin/gongdan -> $(BUILD)/gongdan, so the docs' `gongdan ...` lines work as written.
install-link: server
	@mkdir -p $(HOME)/.local/bin
	@ln -sfn $(CURDIR)/$(BUILD)/gongdan $(HOME)/.local/bin/gongdan
	@echo "linked $(HOME)/.local/bin/gongdan -> $(CURDIR)/$(BUILD)/gongdan"
	@case ":$$PATH:" in *":$(HOME)/.local/bin:"*) ;; *) echo "add $(HOME)/.local/bin to PATH to call it as gongdan";; esac

# Every test, then the whole suite again under ASan + UBSan (with a short run of each fuzzer),
# except the API suites repeated on PostgreSQL (label api-pg; see tests/CMakeLists.txt).
test: build web
	@cd $(BUILD) && ctest --output-on-failure -j 2
	@$(MAKE) --no-print-directory test-asan

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j 2

test-asan: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DGD_SANITIZE=ON $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2 -LE api-pg

# Each fuzzer of tests/fuzz for FUZZ_SECONDS under ASan + UBSan (clang with libFuzzer). New inputs
# stay in $(BUILD)-fuzz/fuzz-work/; a crash fails and names the saved input (copy it into
# tests/fuzz/corpus/<fuzzer>/ with the fix).
fuzz: deps
	@cmake -S . -B $(BUILD)-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DGD_FUZZ=ON \
	  -DGD_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD)-fuzz --target gd_fuzzers -j $(JOBS)
	@cd $(BUILD)-fuzz && ctest --output-on-failure

bench: build web
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
