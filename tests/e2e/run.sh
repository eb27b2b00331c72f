#!/usr/bin/env bash
# Runs the browser suite against a freshly started server on a fresh database.
#   tests/e2e/run.sh sqlite|postgres [file.test.mjs ...]
# Without file names it runs every *.test.mjs. Expects the site built by `cargo leptos build`
# (the Makefile does that first).
set -euo pipefail
backend=${1:?usage: run.sh sqlite|postgres [file.test.mjs ...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -gt 0 ]]; then
  tests=()
  for name in "$@"; do tests+=("$here/$(basename "$name")"); done
else
  tests=("$here"/*.test.mjs)
fi
root=$(cd "$here/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
port=${LIAISON_E2E_PORT:-3100}
work=$(mktemp -d)
db_name=""

case "$backend" in
  sqlite) database_url="sqlite://$work/liaison.db?mode=rwc" ;;
  postgres)
    pg=${LIAISON_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}
    db_name="liaison_e2e_$$_$(date +%s)"
    psql "$pg/postgres" -qc "CREATE DATABASE $db_name"
    database_url="$pg/$db_name"
    ;;
  *) echo "run.sh: unknown backend $backend" >&2; exit 2 ;;
esac

cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "$db_name" ]] && psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

DATABASE_URL="$database_url" LIAISON_LISTEN="127.0.0.1:$port" LEPTOS_SITE_ROOT="$root/target/site" \
  RUST_LOG=warn "$target_dir/debug/liaison-server" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done

echo "browser suite on $backend ($database_url)"
status=0
LIAISON_E2E_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 --test-timeout=120000 "${tests[@]}" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---"; cat "$work/server.log"
fi
# Pages that came without their content security policy (the server repairs and warns).
echo "pages served without their own content security policy: $(grep -c 'without its content security policy' "$work/server.log" || true)"
grep 'without its content security policy' "$work/server.log" | sed 's/^/  /' || true
echo "server warnings and errors: $(grep -cE 'WARN|ERROR' "$work/server.log" || true)"
exit $status
