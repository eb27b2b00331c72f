#!/usr/bin/env bash
# Prints Liaison's baseline numbers (nothing is asserted): WebAssembly size raw and gzip,
# time from process start to the first served page, the server's memory at idle, and the
# latency of the start page over repeated requests.
#   tests/bench/baseline.sh [debug|release]   (after `make build` or `make release`)
set -euo pipefail
profile=${1:-debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
binary="$target_dir/$profile/liaison-server"
site="$root/target/site"
port=${LIAISON_BENCH_PORT:-3200}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

wasm="$site/pkg/liaison.wasm"
printf 'profile                      %s\n' "$profile"
printf 'main wasm raw                %d bytes\n' "$(stat -c %s "$wasm")"
printf 'main wasm gzip -9            %d bytes\n' "$(gzip -9c "$wasm" | wc -c)"
printf 'js glue gzip -9              %d bytes\n' "$(gzip -9c "$site/pkg/liaison.js" | wc -c)"
# The pages' chunks (`--split`): each loads with the first page that needs it.
for chunk in "$site"/pkg/*.wasm; do
  [ "$chunk" = "$wasm" ] || gzip -9c "$chunk" | wc -c
done | sort -n | awk '{ n++; total += $1; max = $1 } END {
  printf "page chunks                  %d, %d bytes gzip -9 in all, largest %d\n", n, total, max }'

# Sets `pid` and `elapsed_ms`: from process start until the start page is served.
start_once() {
  local url=$1 t0 t1
  t0=$(date +%s%N)
  DATABASE_URL="$url" LIAISON_LISTEN="127.0.0.1:$port" LEPTOS_SITE_ROOT="$site" RUST_LOG=warn \
    "$binary" >"$work/server.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  elapsed_ms=$(( (t1 - t0) / 1000000 ))
}

db="sqlite://$work/liaison.db?mode=rwc"
start_once "$db"
printf 'start to first page, new db  %d ms (creates the file, migrates, loads demo data)\n' "$elapsed_ms"
kill "$pid"; wait "$pid" 2>/dev/null || true
start_once "$db"
printf 'start to first page          %d ms (existing database)\n' "$elapsed_ms"
sleep 2
printf 'memory at idle (RSS)         %d KiB\n' "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"

# Page latency: 200 sequential requests of a page (each reads the database), with an optional
# cookie jar for signed-in pages.
latency() {
  local label=$1 path=$2 jar=${3:-/dev/null}
  for _ in $(seq 1 200); do
    curl -fsS -b "$jar" -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port$path"
  done | sort -n | awk -v label="$label" '{ t[NR] = $1 * 1000 } END {
    printf "%-28s p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)\n", label, t[int(NR*0.5)], t[int(NR*0.95)], t[NR], NR }'
}
latency "start page latency" /
printf 'memory after 200 requests    %d KiB\n' "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"

# Sign-in: one form post, argon2id verification included (m=19456 KiB, t=2, p=1).
jar="$work/cookies"
for _ in 1 2 3 4 5; do
  curl -fsS -c "$jar" -o /dev/null -w '%{time_total}\n' -H "Origin: http://127.0.0.1:$port" \
    -H 'Accept: text/html' --data 'username=admin&password=liaison-demo-2026' \
    "http://127.0.0.1:$port/api/sign_in"
done | sort -n | awk '{ t[NR] = $1 * 1000 } END {
  printf "sign-in (argon2id verify)    median %.1f ms, max %.1f ms (n=%d)\n", t[int((NR+1)/2)], t[NR], NR }'
latency "user list (admin) latency" /admin/users "$jar"
latency "map page latency" /map "$jar"
latency "joint venture page latency" /joint-ventures/1 "$jar"

# Cases: a coordinator's case page (subjects, operations, form) and a 10,000-row CSV import,
# checked and saved in one transaction (demo case 1 belongs to coordinator-north).
north="$work/north-cookies"
curl -fsS -c "$north" -o /dev/null -H "Origin: http://127.0.0.1:$port" -H 'Accept: text/html' \
  --data 'username=coordinator-north&password=liaison-demo-2026' "http://127.0.0.1:$port/api/sign_in"
latency "case page latency" /cases/1 "$north"
rows="$work/rows.csv"
awk 'BEGIN {
  print "kind,given_names,family_name,birth_date,nationality,value,country";
  for (i = 0; i < 10000; i++) {
    if (i % 4 == 0) printf "person,Jan%d,Bench%d,19%02d,NL,,\n", i, i, i % 100;
    else if (i % 4 == 1) printf "phone,,,,,06 %08d,\n", 20000000 + i;
    else if (i % 4 == 2) printf "vehicle,,,,,BX-%03d-%c,NL\n", i % 1000, 65 + i % 26;
    else printf "email,,,,,bench%d@example.org,\n", i;
  }
}' > "$rows"
for _ in 1 2 3; do
  curl -fsS -b "$north" -o /dev/null -w '%{time_total} %{http_code}\n' -H "Origin: http://127.0.0.1:$port" \
    -H 'Accept: application/json' -F case_id=1 -F "file=@$rows;type=text/csv" \
    "http://127.0.0.1:$port/api/import_subjects"
done | sort -n | awk '{ t[NR] = $1 * 1000; code = $2 } END {
  printf "import 10,000 CSV rows        median %.0f ms, max %.0f ms (n=%d, status %s)\n", t[2], t[NR], NR, code }'
latency "case page, 30,000 subjects" /cases/1 "$north"

# A first visit in the browser: bytes transferred and time to a hydrated page.
if [ -d "$root/tests/e2e/node_modules" ]; then
  LIAISON_E2E_URL="http://127.0.0.1:$port" node "$root/tests/bench/first-visit.mjs"
fi
