import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import { buildApi, startApiProcess, type ApiProcess } from '../platform/support/api-process.js';

const SECRET = 'split-signing-key-secret-long-enough';

type KeyCheck = { healthy: boolean; key: string; signedSize: number; error?: string };
type Health = { status: string; components: { auditLogKey?: KeyCheck } };

/**
 * The API apart from its worker, each with a DATA_DIR of its own and no AUDIT_SIGNING_KEY, as
 * docker/compose.yml's two containers ran them before they shared a volume: each generates a key, the worker signs every
 * checkpoint with its own, and the API serves its own at /audit/log/key (and in every hours
 * certificate), which signed nothing. The API's /health now says so.
 */
describe('an API whose served key did not sign the log', () => {
  let api: ApiProcess;
  let worker: ChildProcess;
  let workerExited: Promise<void>;
  let workerDataDir: string;
  let drop: () => Promise<void>;
  let token: string;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('split_signing_key');
    drop = db.drop;
    api = await startApiProcess(db.url, SECRET, {
      env: { RUN_WORKER: 'false', AUDIT_CHECKPOINT_INTERVAL: '500ms' },
    });
    workerDataDir = mkdtempSync(join(tmpdir(), 'split-signing-worker-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      AUTH_JWT_SECRET: SECRET,
      DATA_DIR: workerDataDir,
      AUDIT_CHECKPOINT_INTERVAL: '500ms',
      LOG_LEVEL: 'warn',
    };
    delete env.KAFKA_BROKERS;
    delete env.EVENTSTORE_URL;
    delete env.AUDIT_SIGNING_KEY;
    worker = spawn(process.execPath, [resolve(process.cwd(), 'dist/apps/worker/src/main.js')], {
      env,
      stdio: 'ignore',
    });
    workerExited = new Promise((done) => worker.once('exit', () => done()));
    token = await signToken({ sub: 'op', role: 'operator' }, SECRET);
  }, 300_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await workerExited;
    await api?.stop();
    await drop?.();
    if (workerDataDir) rmSync(workerDataDir, { recursive: true, force: true });
  });

  it('says degraded, naming the key it serves, once the worker signed a checkpoint with another', async () => {
    // given: a command recorded, and a checkpoint over it signed by the worker
    const created = await fetch(new URL('/units', api.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'w-key', name: 'Ward key', kind: 'ward' }),
    });
    expect(created.status).toBe(201);
    const checkpoint = async () =>
      (
        await fetch(new URL('/audit/log/checkpoint', api.url), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    for (const deadline = Date.now() + 60_000; (await checkpoint()) !== 200;) {
      if (Date.now() > deadline) throw new Error('the worker signed no checkpoint');
      await new Promise((done) => setTimeout(done, 200));
    }

    // when: the API's /health is asked
    const health = (await (await fetch(new URL('/health', api.url))).json()) as Health;

    // then: degraded, the key check failing with the key /audit/log/key serves
    const served = (
      await (
        await fetch(new URL('/audit/log/key', api.url), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text()
    ).trim();
    expect(health.status).toBe('degraded');
    expect(health.components.auditLogKey).toMatchObject({
      healthy: false,
      key: served,
      signedSize: expect.any(Number),
      error: expect.stringContaining('AUDIT_SIGNING_KEY'),
    });
  });
});
