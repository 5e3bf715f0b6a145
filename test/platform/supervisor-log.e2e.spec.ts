import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../harness/database.js';
import { allListening, buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

const SECRET = 'supervisor-log-test-secret-long-enough';

const parsed = (line: string) => {
  try {
    return JSON.parse(line) as { level?: number; msg?: string; pid?: number };
  } catch {
    return undefined;
  }
};

/**
 * Under API_PROCESSES > 1, the supervisor logged through Nest's default logger: its lines
 * (the embedded PostgreSQL, "N API processes share port", a child that died, the shutdown) came out
 * coloured and in Nest's format with LOG_FORMAT=json, off a file too, and at `log` level even for a
 * child killed with -9, so a collector reading JSON lost the one line that said why the API stopped.
 */
describe('the supervisor of several API processes, logging', () => {
  let api: ApiProcess;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('supervisor_log');
    drop = db.drop;
    api = await startApiProcess(db.url, SECRET, { processes: 2, env: { LOG_FORMAT: 'json' } });
    await allListening(api, 2);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await drop?.();
  });

  it('writes every line as JSON, and a child killed with -9 as an error', async () => {
    // given two API processes under their supervisor, logging as JSON
    const child = api.output.map((o) => parsed(o.line)).find((l) => l?.msg?.includes('listening'));
    expect(child?.pid).toBeDefined();

    // when one child is killed with -9
    process.kill(child!.pid!, 'SIGKILL');
    await new Promise<void>((done) => api.child.once('exit', () => done()));

    // then the supervisor exits 1, every line it and its children wrote is JSON, and the death is an error
    expect(api.child.exitCode).toBe(1);
    const lines = api.output.map((o) => o.line);
    expect(lines.filter((line) => parsed(line) === undefined)).toEqual([]);
    // each line says which process wrote it, the supervisor's too (README, API_PROCESSES)
    expect(lines.map(parsed).filter((line) => line?.pid === undefined)).toEqual([]);
    expect(lines.map(parsed)).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringContaining(`${child!.pid}`) }),
    );
  }, 120_000);
});

/**
 * A pipe read as a log collector that fell behind reads it: not at all for a while (`pause`), so that
 * it fills and the processes wait to write what they hold, then a little at a time, so that each
 * write finds room for part of it (what a container runtime, journald or a shipper under load leaves
 * a process writing to its standard output).
 */
function slowlyReadPipe() {
  const dir = mkdtempSync(join(tmpdir(), 'slow-pipe-'));
  const path = join(dir, 'fifo');
  if (spawnSync('mkfifo', [path]).status !== 0) throw new Error('mkfifo failed');
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY);
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(512);
  // 0: nothing written yet, or every writer gone; EAGAIN: nothing to read now
  const readSome = () => {
    try {
      const read = readSync(reader, buffer);
      if (read > 0) chunks.push(Buffer.from(buffer.subarray(0, read)));
      return read;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return -1;
      throw error;
    }
  };
  let paused = false;
  const timer = setInterval(() => paused || readSome(), 1);
  const text = () => Buffer.concat(chunks).toString('utf8');
  return {
    writer,
    pause: (pause: boolean) => (paused = pause),
    lines: () => text().split('\n'),
    /** Reads what is left, once every process writing to it has exited. */
    drain: () => {
      clearInterval(timer);
      while (readSome() !== 0);
      closeSync(reader);
      rmSync(dir, { recursive: true, force: true });
      return text().split('\n').filter(Boolean);
    },
  };
}

describe('the supervisor of several API processes, read slowly', () => {
  it("writes whole lines, where the processes wrote into each other's", async () => {
    // given two API processes logging every request as JSON to a pipe their collector reads slowly
    buildApi();
    const db = await createTestDatabase('supervisor_log_pipe');
    const pipe = slowlyReadPipe();
    let api: ApiProcess | undefined;
    try {
      api = await startApiProcess(db.url, SECRET, {
        processes: 2,
        env: { LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
        stdout: pipe.writer,
      });
      closeSync(pipe.writer);
      while (pipe.lines().filter((line) => line.includes('listening on')).length < 2)
        await new Promise((done) => setTimeout(done, 50));

      // when both answer requests at once, many of them, each a line of a few hundred bytes, while
      // the collector reads nothing
      pipe.pause(true);
      const agents = Array.from({ length: 16 }, () => new http.Agent({ keepAlive: true }));
      const { port } = new URL(api.url);
      let left = 4_000;
      await Promise.all(
        agents.map(async (agent) => {
          while (left-- > 0)
            await new Promise<void>((done) => {
              const headers = { 'Idempotency-Key': 'k'.repeat(100) };
              http
                .get({ host: '127.0.0.1', port, path: '/health', agent, headers }, (res) =>
                  res.resume().on('end', done),
                )
                .on('error', () => done());
            });
        }),
      );
      for (const agent of agents) agent.destroy();
      // and then reads again, slowly
      pipe.pause(false);
      await api.stop();
    } finally {
      await api?.stop();
      await db.drop();
    }

    // then the collector read every request's line, and each line is one JSON object
    const lines = pipe.drain();
    expect(lines.filter((line) => parsed(line) === undefined)).toEqual([]);
    expect(lines.filter((line) => parsed(line)?.msg === 'GET /health 200')).toHaveLength(4_000);
  }, 300_000);
});
