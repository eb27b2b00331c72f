#!/usr/bin/env bash
# Schemathesis against the live server's own OpenAPI document, with a test client's token:
# no answer is a 5xx, and every answer (status, content type, headers, body) conforms to the
# document. Runs on a fresh database of the given kind:
#   tests/api/run.sh sqlite|postgres
# Expects the server binary of `make build`; installs Schemathesis (PyPI) into .tools/venv-api.
set -euo pipefail
backend=${1:?usage: run.sh sqlite|postgres}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
port=${LIAISON_API_TEST_PORT:-3480}
examples=${LIAISON_SCHEMATHESIS_EXAMPLES:-60}
venv="$root/.tools/venv-api"
schemathesis_version=4.32.5

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q " $schemathesis_version\$"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

work=$(mktemp -d)
db_name=""
case "$backend" in
  sqlite) database_url="sqlite://$work/liaison.db?mode=rwc" ;;
  postgres)
    pg=${LIAISON_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}
    db_name="liaison_api_$$_$(date +%s)"
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

server="$target_dir/debug/liaison-server"
export DATABASE_URL="$database_url"
DATABASE_URL="$database_url" LIAISON_LISTEN="127.0.0.1:$port" LEPTOS_SITE_ROOT="$root/target/site" \
  RUST_LOG=warn "$server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done

# A client with every scope for two joint ventures, and no rate limit to speak of.
token=$("$server" create-api-client --name "Schemathesis" --organisation POL \
  --joint-venture "Taskforce Mensensmokkel Noord" --joint-venture "Ketenaanpak Mensenhandel Amsterdam" \
  --scope cases:read --scope cases:write --scope subjects:write --scope operations:write \
  --scope signals:write --scope overlaps:read --scope overlaps:act --scope events:read \
  --rate-per-minute 60000 --valid-days 1 --by admin 2>/dev/null)

echo "Schemathesis $schemathesis_version on $backend: $examples examples per operation"
status=0
SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$here" "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --url "http://127.0.0.1:$port/api/v1" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$examples" --generation-deterministic --workers 2 \
  --request-timeout 30 || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---"; tail -n 200 "$work/server.log"
fi
echo "server errors: $(grep -c 'ERROR' "$work/server.log" || true)"
exit $status
