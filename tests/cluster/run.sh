#!/usr/bin/env bash
# The cluster suite: three instances of the server binary on a PostgreSQL of its own behind
# HAProxy (cluster.test.mjs), and one instance on an SQLite disk that fills up
# (full-disk.test.mjs; it mounts a tmpfs, so it runs as root, as CI does). Expects the site
# built (make build) and the tools of `make cluster-tools`. LIAISON_CLUSTER_BINARY picks the
# binary (default: the debug build that make build leaves; the load bench uses the release build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
export LIAISON_CLUSTER_BINARY=${LIAISON_CLUSTER_BINARY:-$target_dir/debug/liaison-server}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$root/target/site}
echo "cluster suite: $LIAISON_CLUSTER_BINARY, three instances behind HAProxy $(haproxy -v | head -1 | awk '{print $3}')"
exec node --test --test-concurrency=1 --test-timeout=300000 "$here/cluster.test.mjs" "$here/full-disk.test.mjs"
