import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { processAlive, signToken } from '#platform';
import { buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

const SECRET = 'embedded-orphan-secret-of-sufficient-length';

// Found by a crash probe: `npm start` killed -9 (the OOM killer, a supervisor's last resort) leaves
// its embedded PostgreSQL running with no parent; the next start shares it (and starts it again if
// it dies), but its stop left it running, and so did every start and stop after: a postmaster that
// nothing would ever stop, holding DATA_DIR.
describe('the embedded PostgreSQL of an API killed -9', () => {
  let dataDir: string;
  const apis: ApiProcess[] = [];

  beforeAll(() => {
    buildApi();
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-orphan-'));
  });

  afterAll(async () => {
    for (const api of apis) await api.stop();
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is stopped by the next API that shared it, when that API stops and nobody else is connected', async () => {
    // given an API on its embedded cluster, killed -9: its postmaster goes on running
    const start = async () => {
      const api = await startApiProcess('', SECRET, { env: { DATA_DIR: dataDir } });
      apis.push(api);
      return api;
    };
    const first = await start();
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(processAlive(postmaster)).toBe(true);

    // when the next API starts on the same DATA_DIR, records a command, and is stopped
    const second = await start();
    const operator = `Bearer ${await signToken({ sub: 'op', role: 'operator' }, SECRET)}`;
    const unit = await request(second.url)
      .post('/units')
      .set('Authorization', operator)
      .send({ id: 'after-kill', name: 'after kill', kind: 'ward' });
    await second.stop();

    // then it had shared the running cluster, and stopped it on its way out
    expect(unit.status).toBe(201);
    expect(second.output.some(({ line }) => line.includes('already running'))).toBe(true);
    expect(processAlive(postmaster)).toBe(false);
  }, 180_000);
});
