import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '#platform';

const root = resolve(process.cwd());
const entries = {
  api: resolve(root, 'dist/apps/api/src/main.js'),
  worker: resolve(root, 'dist/apps/worker/src/main.js'),
};
/** What each process logs once it is ready. */
const readyLines = { api: 'listening on', worker: 'running projections' };

/** Builds the application as `npm start` runs it (tsc emits despite type errors elsewhere). */
export function buildApi(): void {
  spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  if (!existsSync(entries.api)) throw new Error(`build failed: ${entries.api} is missing`);
}

export type ApiProcess = Readonly<{
  url: string;
  child: ChildProcess;
  /** Every line the process wrote to stdout and stderr, with when it was written. */
  output: { at: number; line: string }[];
  alive(): boolean;
  stop(): Promise<void>;
}>;

/**
 * The API exactly as `npm start` runs it (API and worker in one process), on `databaseUrl`, without
 * Kafka: a crash here is a crash of the real process, which a Jest worker could not show. `worker`:
 * the worker as `npm run start:worker` runs it instead (no port of its own to ask).
 */
export async function startApiProcess(
  databaseUrl: string,
  jwtSecret: string,
  extraEnv: NodeJS.ProcessEnv = {},
  app: 'api' | 'worker' = 'api',
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
  };
  delete env.KAFKA_BROKERS;
  delete env.EVENTSTORE_URL;
  delete env.RUN_WORKER;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [entries[app]], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: { at: number; line: string }[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line) output.push({ at: Date.now(), line });
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  await new Promise<void>((ready, fail) => {
    const check = setInterval(() => {
      if (output.some((o) => o.line.includes(readyLines[app]))) {
        clearInterval(check);
        ready();
      } else if (!alive()) {
        clearInterval(check);
        fail(new Error(`the ${app} exited at start:\n${output.map((o) => o.line).join('\n')}`));
      }
    }, 50);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    alive,
    stop: async () => {
      if (alive()) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
