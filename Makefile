# gongdan: the two commands a newcomer needs are `make run` and `make test`.
PORT ?= 8080
ARGS ?=
DB ?= data/gongdan.db
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build web run test test-fast test-asan fuzz bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD) -j $(JOBS)

# The workbench (web/) is built when it exists.
web: deps
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

# Starts the product: demo data on first run, the server on 127.0.0.1:$(PORT).
run: build web
	@if [ ! -f $(DB) ]; then \
	  mkdir -p $(dir $(DB)); \
	  $(BUILD)/gongdan init --db sqlite:$(DB) > $(dir $(DB))/demo-logins.txt && \
	  $(BUILD)/gongdan demo --db sqlite:$(DB) >> $(dir $(DB))/demo-logins.txt && \
	  echo "demo created in $(DB)"; \
	fi
	@echo "demo accounts (also in $(dir $(DB))demo-logins.txt):"
	@grep '^login:' $(dir $(DB))/demo-logins.txt || true
	@echo "open http://127.0.0.1:$(PORT)"
	@$(BUILD)/gongdan serve --db sqlite:$(DB) --listen 127.0.0.1:$(PORT) --data-dir $(dir $(DB)) $(ARGS)

# Every test, then the whole suite again under ASan + UBSan (with a short run of each fuzzer).
test: build web
	@cd $(BUILD) && ctest --output-on-failure -j 2
	@$(MAKE) --no-print-directory test-asan

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j 2

test-asan: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DGD_SANITIZE=ON $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2

# Each fuzzer of tests/fuzz for FUZZ_SECONDS under ASan + UBSan (clang with libFuzzer). New inputs
# stay in $(BUILD)-fuzz/fuzz-work/; a crash fails and names the saved input (copy it into
# tests/fuzz/corpus/<fuzzer>/ with the fix).
fuzz: deps
	@cmake -S . -B $(BUILD)-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DGD_FUZZ=ON \
	  -DGD_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD)-fuzz --target gd_fuzzers -j $(JOBS)
	@cd $(BUILD)-fuzz && ctest --output-on-failure

bench: build
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
