// Three instances on one PostgreSQL behind HAProxy (round robin, no sticky sessions), tested
// as operators would find them: a browser session that moves between instances, matching and
// consenting raced through different instances, the jobs run once across the cluster, and the
// faults: an instance killed mid-import, an instance stopped under load, PostgreSQL restarted
// under load. Run by tests/cluster/run.sh (make test-cluster).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, signIn, post } from './cluster.mjs';
import { launch, openPage, hydrated } from '../e2e/browser.mjs';

const binary = process.env.LIAISON_CLUSTER_BINARY;
const siteRoot = process.env.LEPTOS_SITE_ROOT;
assert.ok(binary && siteRoot, 'run through tests/cluster/run.sh');

const cluster = new Cluster({
  binary,
  siteRoot,
  // The deadline job every minute (the shortest setting), the re-scan hourly.
  env: { LIAISON_DEADLINE_MINUTES: '1', LIAISON_RESCAN_HOURS: '1' },
});
const base = cluster.url;
let north;
let amsterdam;
let raised = [];

before(async () => {
  await cluster.startPostgres();
  // The first start migrates and loads the demo; a SIGTERM stops it.
  await cluster.startInstance(1);
  await cluster.stopInstance(1, 'SIGTERM');
  // As a key change leaves a database: no blocking keys, so each instance wants a re-scan at once.
  cluster.psql('DELETE FROM match_key');
  // All three at once: one migrates and checks the demo at a time (the start-up lock).
  await Promise.all([1, 2, 3].map((n) => cluster.startInstance(n)));
  cluster.startBalancer();
  await cluster.waitBalanced();
  north = await signIn(base, 'coordinator-north');
  amsterdam = await signIn(base, 'coordinator-amsterdam');
});

after(async () => {
  await cluster.stop();
});

test('the re-scan, the deadline job and the summary job run once across three instances', async () => {
  const until = Date.now() + 120_000;
  while ((await cluster.jobRuns('rescan')) < 1) {
    assert.ok(Date.now() < until, 'no instance re-scanned within two minutes');
    await sleep(500);
  }
  assert.ok(Number(cluster.psql('SELECT count(*) FROM match_key')) > 0, 'the keys are rebuilt');
  // Every instance ticked at start; a second and third run would show by now.
  await sleep(3000);
  assert.equal(await cluster.jobRuns('rescan'), 1, 're-scans');
  assert.equal(await cluster.jobRuns('deadlines'), 1, 'deadline job runs');
  assert.equal(await cluster.jobRuns('summaries'), 1, 'summary job runs');
  // Each is kept by the instance that ran it until its next turn.
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const kept = cluster.psql(
    `SELECT count(*) FROM job_lease WHERE name IN ('deadlines', 'summaries', 'rescan') AND until > '${now}'`,
  );
  assert.equal(kept, '3', 'the three leases are kept until the next period');
});

test('with LIAISON_LOG_FORMAT=json every log line is one JSON object', () => {
  const lines = readFileSync(join(cluster.work, 'instance-1.log'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0, 'the instance logged its start');
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.ok(entry.timestamp && entry.level && entry.message !== undefined, line);
  }
  assert.ok(lines.some((l) => JSON.parse(l).message === 'Liaison is running'));
});

test('a browser session signed in on one instance goes on on the others', async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser);
    await page.goto(`${base}/sign-in?return_to=/account`);
    await hydrated(page);
    await page.getByLabel('Gebruikersnaam').fill('coordinator-north');
    await page.getByLabel('Wachtwoord').fill('liaison-demo-2026');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${base}/account`);
    // Every answer counts, documents and the server functions the hydrated pages call alike:
    // round robin spreads them, and a page's few requests may keep its document on one or two
    // instances however many pages are opened.
    const servedBy = new Set();
    page.on('response', (response) => {
      const by = response.headers()['x-served-by'];
      if (by) servedBy.add(by);
    });
    for (const path of ['/', '/cases', '/overlaps', '/map', '/account', '/cases', '/overlaps']) {
      const response = await page.goto(`${base}${path}`);
      assert.equal(response.status(), 200, path);
      await page.getByText('Chris Jansen').first().waitFor();
      assert.ok(!page.url().includes('/sign-in'), `${path}: still signed in`);
    }
    await hydrated(page);
    assert.equal(servedBy.size, 3, `served by ${[...servedBy]}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

const PAIRS = 30;
// A family name of its own per pair, far from every other (two syllables out of sixteen).
const SYLLABLES = ['Bal', 'Dor', 'Fen', 'Gim', 'Hol', 'Kar', 'Lun', 'Mer', 'Nov', 'Pel', 'Rud', 'Sor', 'Tav', 'Vil', 'Wen', 'Zar'];
const family = (i) => `${SYLLABLES[i % 16]}${SYLLABLES[(Math.floor(i / 16) + 5) % 16].toLowerCase()}ke`;
const person = (caseId, i) =>
  `case_id=${caseId}&subject[kind]=person&subject[given_names]=Yonas&subject[family_name]=${family(i)}` +
  `&subject[birth_date]=19${60 + i}-0${1 + (i % 9)}-1${i % 10}&subject[nationality]=ERI`;
const caseId = (reference) => Number(cluster.psql(`SELECT id FROM "case" WHERE reference = '${reference}'`));

test('matching saves raced through different instances raise each overlap once', async () => {
  const [mine, theirs] = [caseId('TMN-2026-014'), caseId('KMA-2026-007')];
  const before = Number(cluster.psql('SELECT count(*) FROM overlap'));
  const saves = [];
  for (let i = 0; i < PAIRS; i++) {
    saves.push(post(base, '/api/add_subject', person(mine, i), north));
    saves.push(post(base, '/api/add_subject', person(theirs, i), amsterdam));
  }
  const answers = await Promise.all(saves);
  const servedBy = new Set(answers.map((a) => a.headers.get('x-served-by')));
  assert.equal(servedBy.size, 3, 'the saves went to every instance');
  for (const a of answers) assert.equal(a.status, 302, await a.text());
  for (let i = 0; i < PAIRS; i++) {
    const n = cluster.psql(
      `SELECT count(*) FROM overlap o JOIN subject a ON a.id = o.first_item_id JOIN subject b ON b.id = o.second_item_id
       WHERE o.kind = 'subject' AND a.summary LIKE '%${family(i)}%' AND b.summary LIKE '%${family(i)}%'`,
    );
    assert.equal(Number(n), 1, `pair ${family(i)}`);
  }
  assert.equal(Number(cluster.psql('SELECT count(*) FROM overlap')), before + PAIRS, 'nothing else');
  raised = cluster
    .psql(
      `SELECT o.id FROM overlap o JOIN subject a ON a.id = o.first_item_id
       WHERE o.kind = 'subject' AND a.summary LIKE '%Yonas%'`,
    )
    .split('\n')
    .map(Number);
  assert.equal(raised.length, PAIRS);
});

test('two coordinators consenting at once through different instances disclose once', async () => {
  const grounds = 'purpose=coordinate_investigations&purpose_note=&legal_basis=gdpr_6_1_e';
  const consents = raised.flatMap((id) => [
    post(base, '/api/consent_to_disclose', `id=${id}&${grounds}`, north),
    post(base, '/api/consent_to_disclose', `id=${id}&${grounds}`, amsterdam),
  ]);
  for (const a of await Promise.all(consents)) assert.equal(a.status, 302, await a.text());
  const ids = raised.join(',');
  assert.equal(
    Number(cluster.psql(`SELECT count(*) FROM overlap WHERE id IN (${ids}) AND first_consents AND second_consents AND disclosed_at IS NOT NULL`)),
    PAIRS,
  );
  assert.equal(
    cluster.psql(`SELECT count(*) FROM audit_event WHERE action = 'disclose_overlap' AND object_id IN (${raised.map((i) => `'${i}'`).join(',')})`),
    String(PAIRS),
    'one disclosure each',
  );
  assert.equal(Number(cluster.psql(`SELECT count(*) FROM overlap_disclosure WHERE overlap_id IN (${ids})`)), 2 * PAIRS);
});

function verifyAudit() {
  return execFileSync(binary, ['verify-audit'], { env: { ...process.env, DATABASE_URL: cluster.databaseUrl } }).toString();
}

/** Signed-in page views through the balancer for `ms`, `workers` at a time: every answer. */
async function load(ms, workers = 8, path = '/cases') {
  const answers = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const started = Date.now();
        try {
          const r = await fetch(`${base}${path}`, { headers: { cookie: north, accept: 'text/html' } });
          await r.arrayBuffer();
          answers.push({ status: r.status, retryAfter: r.headers.get('retry-after'), started, at: Date.now() });
        } catch (err) {
          answers.push({ status: 0, error: String(err), started, at: Date.now() });
        }
      }
    }),
  );
  return answers;
}

test('an instance killed in the middle of a 10,000-row import stores none of it', async () => {
  const rows = ['kind,given_names,family_name,birth_date,nationality,value,country'];
  for (let i = 0; i < 10_000; i++) rows.push(`person,Kees,Killtest${i},19${String(i % 100).padStart(2, '0')},NLD,,`);
  const form = new FormData();
  form.append('case_id', String(caseId('TMN-2026-021')));
  form.append('file', new Blob([rows.join('\n')], { type: 'text/csv' }), 'rows.csv');
  const importing = fetch(`${cluster.instanceUrl(2)}/api/import_subjects`, {
    method: 'POST',
    headers: { origin: cluster.instanceUrl(2), accept: 'application/json', cookie: north },
    body: form,
  }).then(
    (r) => ({ status: r.status }),
    (err) => ({ error: String(err) }),
  );
  // Kill it once its transaction has written (and matched) some of the rows.
  const until = Date.now() + 30_000;
  while (Number(cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'liaison' AND state LIKE 'idle in transaction%' OR (datname = 'liaison' AND state = 'active' AND xact_start < now() - interval '1 second' AND query NOT LIKE '%pg_stat_activity%')")) === 0) {
    assert.ok(Date.now() < until, 'the import never got going');
    await sleep(100);
  }
  await sleep(500);
  const serving = load(3000);
  await cluster.stopInstance(2, 'SIGKILL');
  const outcome = await importing;
  assert.ok(outcome.error, `the import was cut off, not answered: ${JSON.stringify(outcome)}`);
  const answers = await serving;
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failed, [], 'the other instances went on serving');
  assert.ok(answers.length > 10);
  assert.equal(cluster.psql("SELECT count(*) FROM subject WHERE summary LIKE '%Killtest%'"), '0', 'nothing of it stored');
  assert.match(verifyAudit(), /intact/);
  await cluster.startInstance(2);
  await cluster.waitBalanced();
});

test('an instance killed in the middle of a 10,000-case API batch stores none of it', async () => {
  const token = execFileSync(
    binary,
    ['create-api-client', '--name', 'Kill test', '--organisation', 'KMar', '--joint-venture', 'Taskforce Mensensmokkel Noord',
      '--scope', 'cases:write', '--scope', 'subjects:write', '--rate-per-minute', '60000', '--by', 'admin'],
    { env: { ...process.env, DATABASE_URL: cluster.databaseUrl }, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString().trim();
  const north = cluster.psql("SELECT id FROM joint_venture WHERE name = 'Taskforce Mensensmokkel Noord'");
  const lines = [];
  for (let i = 0; i < 10_000; i++) {
    lines.push(JSON.stringify({
      reference: `KILL-API-${i}`,
      case: {
        title: `Batch ${i}`, theme: 'smuggling', status: 'active', start: '2026-10-01', handling: 'pointer-only',
        subjects: [{ kind: 'person', given_names: 'Kees', family_name: `Batchkill${i}`, birth_date: `19${String(i % 100).padStart(2, '0')}` }],
      },
    }));
  }
  const loading = fetch(`${cluster.instanceUrl(2)}/api/v1/joint-ventures/${north}/case-batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  }).then(
    (r) => ({ status: r.status }),
    (err) => ({ error: String(err) }),
  );
  const until = Date.now() + 60_000;
  while (Number(cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'liaison' AND (state LIKE 'idle in transaction%' OR (state = 'active' AND xact_start < now() - interval '1 second')) AND query NOT LIKE '%pg_stat_activity%'")) === 0) {
    assert.ok(Date.now() < until, 'the batch never got going');
    await sleep(100);
  }
  await sleep(500);
  const serving = load(3000);
  await cluster.stopInstance(2, 'SIGKILL');
  const outcome = await loading;
  assert.ok(outcome.error, `the batch was cut off, not answered: ${JSON.stringify(outcome)}`);
  const answers = await serving;
  assert.deepEqual(answers.filter((a) => a.status !== 200), [], 'the other instances went on serving');
  assert.equal(cluster.psql("SELECT count(*) FROM \"case\" WHERE reference LIKE 'KILL-API-%'"), '0', 'no case of it stored');
  assert.equal(cluster.psql("SELECT count(*) FROM subject WHERE summary LIKE '%Batchkill%'"), '0', 'no subject of it stored');
  assert.match(verifyAudit(), /intact/);
  await cluster.startInstance(2);
  await cluster.waitBalanced();
});

test('an instance stopped with SIGTERM under load finishes what it has and fails nothing', async () => {
  const serving = load(4000);
  await sleep(1000);
  await cluster.stopInstance(3, 'SIGTERM');
  const answers = await serving;
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failed, [], 'no request failed');
  await cluster.startInstance(3);
  await cluster.waitBalanced();
});

test('PostgreSQL restarted under load: 503 with Retry-After meanwhile, every instance back by itself', async () => {
  const serving = load(12_000, 6);
  await sleep(1500);
  cluster.pgCtl('stop', 'fast');
  const stoppedAt = Date.now();
  await sleep(2000);
  const health = await fetch(`${cluster.instanceUrl(1)}/healthz`);
  assert.equal(health.status, 503, '/healthz says so');
  assert.equal(health.headers.get('retry-after'), '5');
  cluster.pgCtl('start');
  const startedAt = Date.now();
  // Every instance answers healthy again without being restarted.
  for (const n of [1, 2, 3]) {
    while ((await fetch(`${cluster.instanceUrl(n)}/healthz`)).status !== 200) {
      assert.ok(Date.now() - startedAt < 15_000, `instance ${n} did not recover within 15 s`);
      await sleep(200);
    }
  }
  const recovered = (Date.now() - startedAt) / 1000;
  const answers = await serving;
  const during = answers.filter((a) => a.at > stoppedAt && a.at < startedAt);
  const unavailable = answers.filter((a) => a.status === 503);
  const other = answers.filter((a) => a.status !== 200 && a.status !== 503);
  assert.deepEqual(other, [], 'only 200 or 503, never a 500 or a dropped connection');
  assert.ok(unavailable.length > 0 && during.length > 0, 'the outage was seen');
  for (const a of unavailable) assert.equal(a.retryAfter, '5');
  const last = answers.filter((a) => a.started > startedAt + recovered * 1000);
  assert.deepEqual(last.filter((a) => a.status !== 200), [], 'served again after recovery');
  assert.ok(last.length > 0);
  console.log(`# recovered ${recovered.toFixed(1)} s after PostgreSQL started; ${unavailable.length} of ${answers.length} answers were 503`);
  assert.match(verifyAudit(), /intact/);
});
