// A Liaison cluster on this machine, of real parts: a PostgreSQL of its own (so that it can be
// stopped and restarted without touching the machine's), three instances of the server binary
// and HAProxy in front of them, round robin, without sticky sessions. Used by the cluster tests
// (cluster.test.mjs) and the load bench (tests/bench/load.sh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chownSync, mkdirSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const PG_BIN = process.env.LIAISON_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const DEMO_PASSWORD = 'liaison-demo-2026';
export const METRICS_TOKEN = 'metrics-token-of-the-cluster-tests-0123456789';

/** Ports: PostgreSQL, the balancer, then one per instance. */
const BASE_PORT = Number(process.env.LIAISON_CLUSTER_PORT ?? 3400);

export class Cluster {
  constructor({ binary, siteRoot, instances = 3, env = {} }) {
    this.binary = binary;
    this.siteRoot = siteRoot;
    this.count = instances;
    this.extraEnv = env;
    this.work = mkdtempSync(join(tmpdir(), 'liaison-cluster-'));
    this.pgData = join(this.work, 'pg');
    this.pgPort = BASE_PORT + 50;
    this.lbPort = BASE_PORT;
    this.processes = new Map();
    this.haproxy = null;
  }

  get url() {
    return `http://127.0.0.1:${this.lbPort}`;
  }

  instanceUrl(n) {
    return `http://127.0.0.1:${this.lbPort + n}`;
  }

  get databaseUrl() {
    return `postgres://postgres@127.0.0.1:${this.pgPort}/liaison`;
  }

  /** As the postgres user: PostgreSQL refuses to run as root. */
  asPostgres(command, args) {
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  }

  async startPostgres() {
    mkdirSync(this.pgData, { recursive: true });
    if (process.getuid?.() === 0) {
      chownSync(this.work, uid('postgres'), uid('postgres'));
      chownSync(this.pgData, uid('postgres'), uid('postgres'));
    }
    this.asPostgres(join(PG_BIN, 'initdb'), ['-D', this.pgData, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    this.pgCtl('start');
    this.psql('CREATE DATABASE liaison', 'postgres');
  }

  /** `pg_ctl start|stop|restart`, waiting until done. */
  pgCtl(action, mode = 'fast') {
    const args = ['-D', this.pgData, '-w', '-l', join(this.pgData, 'server.log')];
    if (action !== 'start') args.push('-m', mode);
    args.push('-o', `-p ${this.pgPort} -k ${this.pgData} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`);
    this.asPostgres(join(PG_BIN, 'pg_ctl'), [action, ...args]);
  }

  psql(sql, database = 'liaison') {
    return execFileSync('psql', ['-X', '-qAt', '-h', '127.0.0.1', '-p', String(this.pgPort), '-U', 'postgres', '-d', database, '-c', sql])
      .toString()
      .trim();
  }

  /** Starts instance `n` (1-based) and waits until it answers. */
  async startInstance(n, env = {}) {
    const log = openSync(join(this.work, `instance-${n}.log`), 'a');
    const child = spawn(this.binary, [], {
      env: {
        ...process.env,
        DATABASE_URL: this.databaseUrl,
        LIAISON_LISTEN: `127.0.0.1:${this.lbPort + n}`,
        LEPTOS_SITE_ROOT: this.siteRoot,
        LIAISON_METRICS_TOKEN: METRICS_TOKEN,
        LIAISON_RETENTION_JOB: 'false',
        LIAISON_LOG_FORMAT: 'json',
        LIAISON_TRUSTED_PROXIES: '127.0.0.1',
        RUST_LOG: 'warn,liaison_server=info',
        ...this.extraEnv,
        ...env,
      },
      stdio: ['ignore', log, log],
    });
    this.processes.set(n, child);
    await this.waitLive(n, child);
    return child;
  }

  async waitLive(n, child, seconds = 120) {
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`instance ${n} exited with ${child.exitCode}: see ${this.work}/instance-${n}.log`);
      try {
        const r = await fetch(`${this.instanceUrl(n)}/healthz`);
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`instance ${n} did not become healthy within ${seconds} s`);
  }

  /** Sends `signal` to instance `n` and waits for it to exit. */
  async stopInstance(n, signal = 'SIGTERM') {
    const child = this.processes.get(n);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  startBalancer() {
    const servers = Array.from({ length: this.count }, (_, i) =>
      `    server liaison${i + 1} 127.0.0.1:${this.lbPort + i + 1} check inter 500ms fall 2 rise 2`,
    ).join('\n');
    const config = `global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend liaison
    bind 127.0.0.1:${this.lbPort}
    option forwardfor
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /livez
    http-response set-header X-Served-By %s
${servers}
`;
    const path = join(this.work, 'haproxy.cfg');
    writeFileSync(path, config);
    const log = openSync(join(this.work, 'haproxy.log'), 'a');
    this.haproxy = spawn('haproxy', ['-db', '-f', path], { stdio: ['ignore', log, log] });
  }

  async waitBalanced(seconds = 30) {
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      const seen = new Set();
      for (let i = 0; i < this.count * 2; i++) {
        try {
          const r = await fetch(`${this.url}/livez`);
          if (r.ok) seen.add(r.headers.get('x-served-by'));
        } catch {
          // not yet
        }
      }
      if (seen.size === this.count) return;
      await sleep(300);
    }
    throw new Error('the balancer did not reach every instance');
  }

  async stop() {
    for (const n of this.processes.keys()) await this.stopInstance(n, 'SIGTERM');
    if (this.haproxy && this.haproxy.exitCode === null) {
      const exited = new Promise((resolve) => this.haproxy.once('exit', resolve));
      this.haproxy.kill('SIGTERM');
      await exited;
    }
    try {
      this.pgCtl('stop', 'immediate');
    } catch {
      // already stopped
    }
    if (!process.env.LIAISON_CLUSTER_KEEP) rmSync(this.work, { recursive: true, force: true });
  }

  /** Every instance's number of runs of `job` (from its /metrics), summed. */
  async jobRuns(job) {
    let total = 0;
    for (const n of this.processes.keys()) {
      const child = this.processes.get(n);
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const r = await fetch(`${this.instanceUrl(n)}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const text = await r.text();
      const line = text.split('\n').find((l) => l.startsWith(`liaison_job_runs_total{job="${job}"}`));
      total += line ? Number(line.split(' ').pop()) : 0;
    }
    return total;
  }
}

function uid(user) {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

/** Signs in through `base` and returns the session cookie. */
export async function signIn(base, username) {
  const r = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: `username=${username}&password=${DEMO_PASSWORD}`,
  });
  const cookie = (r.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('liaison_session='));
  if (!cookie) throw new Error(`${username} could not sign in: ${r.status}`);
  return cookie;
}

/** A form post as a browser sends it (same origin), answered without following redirects. */
export function post(base, path, form, cookie, accept = 'text/html') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, accept, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}
