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
