# gongdan: the two commands a newcomer needs are `make run` and `make test`.
PORT ?= 8080
ARGS ?=
DB ?= data/gongdan.db
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build web run test test-fast test-asan bench clean

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

# Every test, then the whole suite again under ASan + UBSan.
test: build web
	@cd $(BUILD) && ctest --output-on-failure -j 2
	@$(MAKE) --no-print-directory test-asan

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j 2

test-asan: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DGD_SANITIZE=ON $(if $(CI),-DGD_WERROR=ON) >/dev/null
	@MAKEFLAGS= cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2

bench: build
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-asan
