import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '#platform';
import { buildDist } from '../../harness/built-dist.js';

const root = resolve(process.cwd());
const builtApi = resolve(root, 'dist/apps/api/src/main.js');

/** Builds the application as `npm start` runs it (tsc emits despite type errors elsewhere). */
export function buildApi(): void {
  buildDist(builtApi);
}

export type ApiProcess = Readonly<{
  url: string;
  /** The API's process (under API_PROCESSES > 1, their supervisor). */
  child: ChildProcess;
  /** The API's and, apart, the worker's: what a bench's CPU clock reads. */
  pids: number[];
  /** Every line the processes wrote to stdout and stderr, with when it was written. */
  output: { at: number; line: string }[];
  alive(): boolean;
  stop(): Promise<void>;
}>;

export type ApiProcessOptions = Readonly<{
  /** A built API's entry (a baseline build's `apps/api/src/main.js`); default this checkout's. */
  entry?: string;
  /** API_PROCESSES (default 1): the port shared by that many API processes, the worker in the first. */
  processes?: number;
  /**
   * `inline` (default): the worker in the API's process, as `npm start` runs it; `apart`: the API with
   * RUN_WORKER=false and the worker built beside the entry in a process of its own, as
   * docker/compose.yml deploys them (started together, one DATA_DIR).
   */
  worker?: 'inline' | 'apart';
  /** Environment beyond these (LOG_LEVEL, LOG_FORMAT); it wins. */
  env?: NodeJS.ProcessEnv;
  /**
   * A descriptor for the processes' standard output (a pipe the test reads at its own pace, as a
   * collector behind would); `output` then holds their standard error only. Default: read at once.
   */
  stdout?: number;
}>;

/**
 * The built API as `npm start` runs it, on `databaseUrl`, on a free port of 127.0.0.1, without Kafka:
 * a crash here is a crash of the real process, which a Jest worker could not show. Up once its port
 * accepts connections (it listens once initialised, in any build, whatever its log level); the worker
 * apart is not waited for: what needs its projections waits on them.
 */
export async function startApiProcess(
  databaseUrl: string,
  jwtSecret: string,
  {
    entry = builtApi,
    processes = 1,
    worker = 'inline',
    env: extraEnv = {},
    stdout = undefined,
  }: ApiProcessOptions = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'api-process-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: jwtSecret,
    DATA_DIR: dataDir,
    NO_COLOR: '1',
    API_PROCESSES: String(processes),
    RUN_WORKER: String(worker === 'inline'),
  };
  delete env.KAFKA_BROKERS; // no relay
  delete env.EVENTSTORE_URL;
  Object.assign(env, extraEnv);
  const output: { at: number; line: string }[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line) output.push({ at: Date.now(), line });
  };
  const run = (main: string) => {
    const child = spawn(process.execPath, [main], {
      cwd: root,
      env,
      stdio: ['ignore', stdout ?? 'pipe', 'pipe'],
    });
    child.stdout?.on('data', collect);
    child.stderr!.on('data', collect);
    return child;
  };
  const children = [run(entry)];
  if (worker === 'apart') children.push(run(resolve(entry, '../../../worker/src/main.js')));
  const exited = children.map((c) => new Promise<void>((done) => c.once('exit', () => done())));
  const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  const alive = () => children.every(running);
  const stop = async () => {
    for (const child of children) if (running(child)) child.kill('SIGTERM');
    await Promise.all(exited);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  // A connection, not a request: the processes' logs and metrics hold only what the caller sent.
  const listening = () =>
    new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', () => done(false));
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
    });
  while (!(await listening())) {
    if (!alive()) {
      await stop();
      throw new Error(
        `the API or its worker exited at start:\n${output.map((o) => o.line).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child: children[0]!, pids: children.map((c) => c.pid!), output, alive, stop };
}

/** A structured access-log line (one per request, when the process logs them as JSON). */
export const isRequestLine = (line: string) => {
  try {
    const entry = JSON.parse(line) as { method?: unknown; status?: unknown };
    return typeof entry.method === 'string' && typeof entry.status === 'number';
  } catch {
    return false;
  }
};

/**
 * Waits until each of `processes` API processes under one supervisor has said it listens: the
 * harness waits for the first only, and a test that sends before the others listen reaches one.
 */
export async function allListening(api: ApiProcess, processes: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (api.output.filter((o) => o.line.includes('listening on')).length < processes) {
    if (Date.now() > deadline) throw new Error(`not all ${processes} API processes started`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** An answer of the API process: its status, content type and parsed body. */
export type Answer = Readonly<{
  status: number;
  type: string;
  body: { position?: number; entries?: unknown[]; [field: string]: unknown };
}>;

/** A POST on a connection of its own (under a supervisor, the cluster hands each to a child in turn). */
export function post(
  base: string,
  token: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(base, token, 'POST', path, body, headers);
}

/** A request on a connection of its own; a body is sent with its length (DELETE is never chunked). */
export function send(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = http.request(
      new URL(path, base),
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            body: JSON.parse(text || '{}'),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}
