// The load bench (make bench-load; prints numbers, asserts nothing but zero errors): wrk with
// 200 connections for a bounded time against
//   - the cluster: three instances of the release build on one PostgreSQL behind HAProxy,
//   - one instance on SQLite,
//   - bare axum serving a static page on the same machine, as the ceiling,
// signed-in page views (/, /cases, /overlaps, /map as a coordinator, /reports/overlaps as a
// manager, in turn) and saves of
// subjects (each one matched). Prints requests/s, p50/p99 latency, errors and server memory.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, signIn } from '../cluster/cluster.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.LIAISON_CLUSTER_BINARY;
const ceilingBinary = process.env.LIAISON_CEILING_BINARY;
const siteRoot = process.env.LEPTOS_SITE_ROOT;
const seconds = Number(process.env.LIAISON_LOAD_SECONDS ?? 15);
const connections = Number(process.env.LIAISON_LOAD_CONNECTIONS ?? 200);
const work = mkdtempSync(join(tmpdir(), 'liaison-load-'));

// A coordinator's pages, and the managers' report (a coordinator may not read it, as a manager
// may not read the coordinators' case and overlap lists).
const PAGES_LUA = `
local coordinator = os.getenv("LIAISON_COOKIE")
local manager = os.getenv("LIAISON_MANAGER_COOKIE")
local pages = {{"/", coordinator}, {"/cases", coordinator}, {"/overlaps", coordinator},
  {"/map", coordinator}, {"/reports/overlaps", manager}}
local n = 0
request = function()
  n = n + 1
  local page = pages[(n % #pages) + 1]
  return wrk.format("GET", page[1], {["Cookie"] = page[2], ["Accept"] = "text/html"})
end
`;

// Each save a new person in the manager-free coordinator's case: matched like any other save.
const SAVES_LUA = `
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local body = string.format(
    "case_id=%s&subject[kind]=person&subject[given_names]=Loadtest&subject[family_name]=Wrk%dx%d&subject[birth_date]=19%02d-0%d-1%d&subject[nationality]=NLD",
    os.getenv("LIAISON_CASE"), id, counter, 50 + counter % 40, 1 + counter % 9, counter % 10)
  return wrk.format("POST", "/api/add_subject", {
    ["Cookie"] = os.getenv("LIAISON_COOKIE"), ["Accept"] = "text/html",
    ["Origin"] = os.getenv("LIAISON_ORIGIN"),
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
`;

const REPORT_LUA = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %d %d %d %d %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status,
    latency.max, summary.bytes))
end
`;

function wrk(url, lua, env) {
  const script = join(work, `script-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, lua + REPORT_LUA);
  const out = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  }).toString();
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  const [requests, duration, p50, p99, socketErrors, statusErrors] = line.split(' ').slice(1).map(Number);
  return {
    rps: requests / duration,
    p50: p50 / 1000,
    p99: p99 / 1000,
    errors: socketErrors + statusErrors,
    requests,
  };
}

function rssMiB(pids) {
  let kib = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  }
  return kib / 1024;
}

const rows = [];
function report(what, result, rss) {
  rows.push({ what, ...result, rss });
  console.log(
    `${what.padEnd(36)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50.toFixed(1).padStart(7)} ms  p99 ${result.p99
      .toFixed(1)
      .padStart(7)} ms  errors ${String(result.errors).padStart(4)}  RSS ${rss.toFixed(0)} MiB`,
  );
}

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never answered`);
}

async function run(label, base, pids, caseId) {
  const manager = await signIn(base, 'manager');
  const north = await signIn(base, 'coordinator-north');
  report(`${label}: page views`, wrk(base, PAGES_LUA, { LIAISON_COOKIE: north, LIAISON_MANAGER_COOKIE: manager }), rssMiB(pids));
  report(
    `${label}: subject saves`,
    wrk(base, SAVES_LUA, { LIAISON_COOKIE: north, LIAISON_CASE: caseId, LIAISON_ORIGIN: base }),
    rssMiB(pids),
  );
}

console.log(`wrk: ${connections} connections, ${seconds} s per run, 2 threads; ${binary}`);
// 1. The ceiling.
const ceilingLog = openSync(join(work, 'ceiling.log'), 'a');
const ceiling = spawn(ceilingBinary, ['127.0.0.1:3490'], { stdio: ['ignore', ceilingLog, ceilingLog] });
await waitFor('http://127.0.0.1:3490/');
const bare = wrk('http://127.0.0.1:3490', 'request = function() return wrk.format("GET", "/") end\n', {});
report('bare axum: static page (ceiling)', bare, rssMiB([ceiling.pid]));
ceiling.kill('SIGTERM');

// 2. One instance on SQLite.
const sqliteLog = openSync(join(work, 'sqlite.log'), 'a');
const single = spawn(binary, [], {
  env: {
    ...process.env,
    DATABASE_URL: `sqlite://${work}/liaison.db?mode=rwc`,
    LIAISON_LISTEN: '127.0.0.1:3491',
    LEPTOS_SITE_ROOT: siteRoot,
    LIAISON_RETENTION_JOB: 'false',
    RUST_LOG: 'error',
  },
  stdio: ['ignore', sqliteLog, sqliteLog],
});
await waitFor('http://127.0.0.1:3491/healthz');
const sqliteCase = execFileSync('sqlite3', [`${work}/liaison.db`, "SELECT id FROM \"case\" WHERE reference = 'TMN-2026-021'"]).toString().trim();
await run('SQLite, one instance', 'http://127.0.0.1:3491', [single.pid], sqliteCase);
const exited = new Promise((resolve) => single.once('exit', resolve));
single.kill('SIGTERM');
await exited;

// 3. The cluster.
const cluster = new Cluster({ binary, siteRoot, env: { RUST_LOG: 'error', LIAISON_LOG_FORMAT: 'text' } });
try {
  await cluster.startPostgres();
  await cluster.startInstance(1);
  await Promise.all([2, 3].map((n) => cluster.startInstance(n)));
  cluster.startBalancer();
  await cluster.waitBalanced();
  const clusterCase = cluster.psql(`SELECT id FROM "case" WHERE reference = 'TMN-2026-021'`);
  await run('PostgreSQL, 3 instances + HAProxy', cluster.url, [...cluster.processes.values()].map((c) => c.pid), clusterCase);
} finally {
  await cluster.stop();
}

console.log('');
console.log('| run | requests/s | p50 ms | p99 ms | errors | server RSS MiB | share of the ceiling |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.what} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.rss.toFixed(0)} | ${(
      (100 * r.rps) /
      bare.rps
    ).toFixed(1)} % |`,
  );
}
rmSync(work, { recursive: true, force: true });
const failed = rows.filter((r) => r.errors > 0);
if (failed.length > 0) {
  console.error(`errors in: ${failed.map((r) => r.what).join(', ')}`);
  process.exit(1);
}
