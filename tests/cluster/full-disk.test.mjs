// SQLite on a disk that fills up: saves fail with a clear message and a 503, nothing is half
// stored, the database stays sound, and once there is room again Liaison goes on by itself.
// The disk is a real one of 32 MiB (a tmpfs mounted for the test: run as root, as CI does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signIn, post } from './cluster.mjs';

const binary = process.env.LIAISON_CLUSTER_BINARY;
const siteRoot = process.env.LEPTOS_SITE_ROOT;
const port = Number(process.env.LIAISON_CLUSTER_PORT ?? 3400) + 60;
const base = `http://127.0.0.1:${port}`;
const disk = mkdtempSync(join(tmpdir(), 'liaison-disk-'));
const database = join(disk, 'liaison.db');
let server;

function sqlite(sql) {
  return execFileSync('sqlite3', [database, sql]).toString().trim();
}

before(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', disk]);
  const log = openSync(join(tmpdir(), `liaison-disk-${process.pid}.log`), 'a');
  server = spawn(binary, [], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${database}?mode=rwc`,
      LIAISON_LISTEN: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LIAISON_RETENTION_JOB: 'false',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', log, log],
  });
  for (let i = 0; ; i++) {
    assert.ok(i < 600 && server.exitCode === null, 'the server did not start');
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not yet
    }
    await sleep(100);
  }
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

/** Fills the disk to the last byte with a file of its own; returns its path. */
function fill() {
  const path = join(disk, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    assert.equal(err.code, 'ENOSPC');
  }
  // What is left is less than a block: write it byte by byte until nothing fits.
  try {
    for (;;) writeSync(fd, Buffer.alloc(1024, 1));
  } catch {
    // full
  }
  closeSync(fd);
  return path;
}

test('a full disk: a clear 503, nothing half stored, a sound database, and on again once there is room', async () => {
  const north = await signIn(base, 'coordinator-north');
  const caseId = sqlite("SELECT id FROM \"case\" WHERE reference = 'TMN-2026-021'");
  const subjects = () => Number(sqlite('SELECT count(*) FROM subject'));
  const events = () => Number(sqlite('SELECT count(*) FROM audit_event'));
  const form = (i) =>
    `case_id=${caseId}&subject[kind]=person&subject[given_names]=Diskvol&subject[family_name]=Fuller${i}` +
    `&subject[birth_date]=1980-02-0${1 + (i % 9)}&subject[nationality]=NLD`;
  // A bulk of rows that needs more room than a page or two: a large import.
  const rows = ['kind,given_names,family_name,birth_date,nationality,value,country'];
  for (let i = 0; i < 5000; i++) rows.push(`person,Bulk,Fullerimport${i},19${String(i % 100).padStart(2, '0')},NLD,,`);

  const before = { subjects: subjects(), events: events() };
  const filler = fill();
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await post(base, '/api/add_subject', form(i), north, 'application/json'));
  const upload = new FormData();
  upload.append('case_id', caseId);
  upload.append('file', new Blob([rows.join('\n')], { type: 'text/csv' }), 'rows.csv');
  answers.push(
    await fetch(`${base}/api/import_subjects`, {
      method: 'POST',
      headers: { origin: base, accept: 'application/json', cookie: north },
      body: upload,
    }),
  );
  const refused = [];
  for (const a of answers) {
    const body = await a.text();
    if (a.status !== 302 && a.status !== 200) refused.push({ status: a.status, retry: a.headers.get('retry-after'), body });
  }
  assert.ok(refused.length > 0, 'with the disk full something must have been refused');
  for (const r of refused) {
    assert.equal(r.status, 503, r.body);
    assert.equal(r.retry, '5');
    assert.match(r.body, /unavailable|niet beschikbaar|try again|probeer/i, r.body);
  }
  // Pages still read.
  const page = await fetch(`${base}/cases/${caseId}`, { headers: { cookie: north } });
  assert.equal(page.status, 200);
  // Nothing half stored: the import all or nothing, each save with its audit event or not at all.
  assert.equal(Number(sqlite("SELECT count(*) FROM subject WHERE summary LIKE '%Fullerimport%'")) % 5000, 0);
  const added = subjects() - before.subjects;
  const audited = events() - before.events;
  assert.ok(audited >= added, `${added} subjects saved, ${audited} events`);

  unlinkSync(filler);
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
  // Room again: the same save now goes through, without a restart.
  const again = await post(base, '/api/add_subject', form(9), north);
  assert.equal(again.status, 302, await again.text());
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
  const verified = execFileSync(binary, ['verify-audit'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${database}?mode=rw` },
  }).toString();
  assert.match(verified, /intact/);
});
