# Kanaal: build, run and test. Every target installs what it is missing first (scripts/setup.sh),
# so `make run` and `make test` work on a fresh Debian 12 machine. Works with any -j: the steps
# of `test` run one after another.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# cargo install puts tauri-driver here; CI's PATH may lack it.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

CARGO ?= cargo
NPM ?= npm
SETUP := scripts/setup.sh
# Runs a command inside a D-Bus session with an unlocked gnome-keyring (the OS keyring).
WITH_KEYRING := scripts/with-keyring.sh
XVFB_RUN := xvfb-run -a -s '-screen 0 1280x800x24'

APP := target/debug/kanaal-app
CLI := target/debug/kanaal

.PHONY: help setup run test e2e e2e-only bench fmt fmt-check ui-build ui-test clippy \
	test-rust clean distclean

help:
	@echo 'make run        build and start the app on the demo shop (headless: the CLI demo)'
	@echo 'make test       everything CI runs: fmt check, clippy, Rust tests, UI tests, e2e'
	@echo 'make e2e        build the app and run the end-to-end tests under Xvfb'
	@echo 'make bench      measure size, start-up time and memory (scripts/bench.sh)'
	@echo 'make fmt        format the Rust code'
	@echo 'make clean      remove build output (distclean: node_modules too)'
	@echo 'Steps of test:  fmt-check ui-build clippy test-rust ui-test e2e'

setup:
	$(SETUP) test

run:
	$(SETUP) run
	$(NPM) --prefix ui run build
	$(CARGO) build -p kanaal-app -p kanaal-cli
	if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		exec $(APP) --demo; \
	else \
		echo "No display found: running the headless demo instead (kanaal demo)"; \
		exec $(CLI) demo; \
	fi

test:
	$(SETUP) test
	$(MAKE) fmt-check
	$(MAKE) ui-build
	$(MAKE) clippy
	$(MAKE) test-rust
	$(MAKE) ui-test
	$(MAKE) e2e SKIP_UI_BUILD=1

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

# The app embeds ui/dist at compile time, so the UI is built before any cargo step of the app.
ui-build:
	$(NPM) --prefix ui run build

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	if command -v cargo-nextest >/dev/null 2>&1; then \
		$(WITH_KEYRING) $(CARGO) nextest run --workspace; \
	else \
		$(WITH_KEYRING) $(CARGO) test --workspace; \
	fi

ui-test:
	$(NPM) --prefix ui run check
	$(NPM) --prefix ui test

e2e:
	$(SETUP) test
	$(if $(SKIP_UI_BUILD),,$(NPM) --prefix ui run build)
	$(CARGO) build -p kanaal-app -p kanaal-cli
	$(MAKE) e2e-only

# The e2e suite alone, on the binary already built.
e2e-only:
	$(XVFB_RUN) $(WITH_KEYRING) node --test --test-concurrency=1 tests/e2e/

bench:
	if [ -x scripts/bench.sh ]; then \
		scripts/bench.sh; \
	else \
		echo "scripts/bench.sh is not written yet"; \
	fi

clean:
	$(CARGO) clean
	rm -rf ui/dist

distclean: clean
	rm -rf ui/node_modules tests/e2e/node_modules
