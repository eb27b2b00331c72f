# Liaison: `make run` sets up and runs the portal on SQLite with demo data;
# `make test` sets up and runs every test. Both install what they need.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
BINARYEN_VERSION := 132.0.0
# wasm-bindgen-cli must be exactly the wasm-bindgen crate in Cargo.lock (pinned with `=`).
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SITE_ROOT := $(CURDIR)/target/site
TOOLS := $(CURDIR)/.tools
export PATH := $(HOME)/.cargo/bin:$(TOOLS)/node_modules/.bin:$(PATH)

# cargo-leptos passes these to its builds. `cargo test` and `cargo clippy` get the same values
# so that all of them share one build cache instead of rebuilding each other's dependencies.
LEPTOS_ENV := LEPTOS_OUTPUT_NAME=liaison LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend \
	LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false
DEV_RUSTFLAGS := --cfg erase_components
# cargo-leptos adds `--cfg erase_components` to debug builds itself; it must not see RUSTFLAGS.
CARGO_LEPTOS := env -u RUSTFLAGS cargo leptos

.PHONY: help run build release tools browser-tools cluster-tools test lint unit e2e test-api test-cluster screenshots bench bench-matching bench-reports bench-load bench-api bench-linkage clean

help:
	@echo "make run      set up, build and run Liaison on http://127.0.0.1:3000 (SQLite, demo data)"
	@echo "make test     set up and run every test: lint, unit, HTTP and browser tests, SQLite and PostgreSQL"
	@echo "make release  optimised build (server for speed, WebAssembly for size)"
	@echo "make bench    print baseline numbers: wasm size, first visit, start-up time, memory, page latency"
	@echo "make test-api      Schemathesis against the REST API's OpenAPI document (part of make test)"
	@echo "make test-cluster  three instances behind HAProxy on one PostgreSQL: races, leases, faults (part of make test)"
	@echo "make bench-api     the REST API: 100,000 cases, 1,000,000 subjects in batches; single PUTs"
	@echo "make bench-linkage person matching beside Splink 5 on labelled data: precision, recall, F1, time"
	@echo "make bench-load    wrk against the cluster and one SQLite instance, beside bare axum"
	@echo "make screenshots  the README's screenshots (docs/screenshots), on a fresh demo database"

## Toolchain: the wasm target, cargo-leptos and wasm-bindgen-cli, each only if missing.
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version =$(WASM_BINDGEN_VERSION)
	@# wasm-opt from npm's binaryen (Debian's is too old for current Rust output).
	@test -x $(TOOLS)/node_modules/.bin/wasm-opt \
		|| npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error binaryen@$(BINARYEN_VERSION)

## The cluster suite and the load bench: HAProxy in front, wrk to load it, sqlite3 to check a
## database file (Debian packages).
cluster-tools:
	@command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }

## Test-only tools: Debian's Chromium and the browser suite's npm packages.
browser-tools:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@command -v psql >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
	@cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

## What `make run` serves and the browser suite tests: the WebAssembly bundle optimised for size
## and split into one chunk per page (loaded with the page), and the server as a debug build.
build: tools
	$(CARGO_LEPTOS) build --release --split --frontend-only
	$(CARGO_LEPTOS) build --server-only

run: build
	@echo "Starting Liaison: data in data/liaison.db, demo data loaded on first start."
	LEPTOS_SITE_ROOT=$(SITE_ROOT) $(TARGET_DIR)/debug/liaison-server

## Release: the same bundle, and the server optimised for speed.
release: tools
	$(CARGO_LEPTOS) build --release --split

lint:
	cargo fmt --all --check
	$(LEPTOS_ENV) RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --all-targets -- -D warnings
	@# Server-only crates must never reach the WebAssembly bundle.
	@if cargo tree -p liaison-frontend --target wasm32-unknown-unknown -e normal --prefix none \
		| grep -E '^(sea-orm|sqlx[a-z-]*|tokio|argon2|axum|tower-sessions|leptos_axum) '; then \
		echo "server-only crates in the WebAssembly build (above)"; exit 1; fi

unit:
	$(LEPTOS_ENV) RUSTFLAGS="$(DEV_RUSTFLAGS)" LIAISON_TEST_DATABASE=sqlite cargo test
	$(LEPTOS_ENV) RUSTFLAGS="$(DEV_RUSTFLAGS)" LIAISON_TEST_DATABASE=postgres cargo test -p liaison-tests

e2e:
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/e2e/run.sh sqlite
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/e2e/run.sh postgres

## The README's screenshots: the browser suite's screenshot file alone, against a server on a
## fresh SQLite file with the demo data, started the way `make e2e` starts it.
screenshots: build browser-tools
	CARGO_TARGET_DIR=$(TARGET_DIR) LIAISON_SCREENSHOTS=$(CURDIR)/docs/screenshots \
		tests/e2e/run.sh sqlite screenshots.test.mjs

test: tools browser-tools cluster-tools
	$(MAKE) lint
	$(MAKE) build
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) test-api
	$(MAKE) test-cluster

## Schemathesis (PyPI, installed into .tools/venv-api) against the live server's OpenAPI
## document with a test client's token: no 5xx, every answer conforms. Needs `make build`.
test-api:
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/api/run.sh sqlite
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/api/run.sh postgres

## Needs `make build` (the site and the server binary) and `make cluster-tools`.
test-cluster:
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/cluster/run.sh

## Baseline numbers (sizes, start-up, memory, latency); prints, asserts nothing.
bench: build browser-tools
	CARGO_TARGET_DIR=$(TARGET_DIR) tests/bench/baseline.sh debug

## Overlap matching at scale: 1,000,000 subjects on SQLite and on PostgreSQL (release build):
## saves with matching, the model's training and the full re-scan, beside Splink 5 linking the
## same persons (in a project-local virtual env).
bench-matching:
	@test -x .tools/venv-linkage/bin/python || python3 -m venv .tools/venv-linkage
	.tools/venv-linkage/bin/pip install --quiet --disable-pip-version-check -r tests/bench/linkage/requirements.txt
	CARGO_TARGET_DIR=$(TARGET_DIR) cargo build --release -p liaison-tests --bin bench-matching
	$(TARGET_DIR)/release/bench-matching sqlite 1000000 --rescan --splink
	$(TARGET_DIR)/release/bench-matching postgres 1000000 --rescan

## The REST API: 100,000 cases with 1,000,000 subjects loaded through the batch endpoint, and
## single PUTs, on SQLite and on PostgreSQL (release build).
bench-api:
	CARGO_TARGET_DIR=$(TARGET_DIR) cargo build --release -p liaison-tests --bin bench-api
	$(TARGET_DIR)/release/bench-api sqlite 100000
	$(TARGET_DIR)/release/bench-api postgres 100000

## Person matching beside Splink 5 (PyPI, DuckDB) on the same labelled records, in one run
## (release build; Splink in a project-local virtual env).
bench-linkage:
	@test -x .tools/venv-linkage/bin/python || python3 -m venv .tools/venv-linkage
	.tools/venv-linkage/bin/pip install --quiet --disable-pip-version-check -r tests/bench/linkage/requirements.txt
	CARGO_TARGET_DIR=$(TARGET_DIR) cargo build --release -p liaison-tests --bin bench-linkage
	$(TARGET_DIR)/release/bench-linkage sqlite 5000

## The report pages on the same data set plus 30,000 overlaps and 50,000 signals.
bench-reports:
	CARGO_TARGET_DIR=$(TARGET_DIR) cargo build --release -p liaison-tests --bin bench-matching
	$(TARGET_DIR)/release/bench-matching sqlite 1000000 --reports
	$(TARGET_DIR)/release/bench-matching postgres 1000000 --reports

## Load: wrk (200 connections) against three release-built instances behind HAProxy on one
## PostgreSQL and against one on SQLite, beside bare axum serving a static page as the ceiling.
bench-load: tools browser-tools cluster-tools
	$(CARGO_LEPTOS) build --release --split
	CARGO_TARGET_DIR=$(TARGET_DIR) env -u RUSTFLAGS $(LEPTOS_ENV) cargo build --release -p liaison-tests --bin bench-ceiling
	LIAISON_CLUSTER_BINARY=$(TARGET_DIR)/release/liaison-server \
		LIAISON_CEILING_BINARY=$(TARGET_DIR)/release/bench-ceiling \
		LEPTOS_SITE_ROOT=$(SITE_ROOT) node tests/bench/load.mjs

clean:
	cargo clean
	rm -rf data .tools tests/e2e/node_modules
