import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signToken } from '#platform';
import { buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

const SECRET = 'embedded-restart-secret-of-sufficient-length';

// Found by probing the API: with the embedded PostgreSQL (no DATABASE_URL, what `npm start` runs),
// a postmaster killed under the server (the kernel's OOM killer, a slip of `kill`) left the API up
// and answering 503 on every route for good: it neither started the cluster again nor exited for a
// supervisor to restart it. Only a person restarting the API brought it back.
describe('the API when its embedded PostgreSQL dies', () => {
  let dataDir: string;
  let api: ApiProcess;

  beforeAll(async () => {
    buildApi();
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-restart-'));
    api = await startApiProcess('', SECRET, { env: { DATA_DIR: dataDir } });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts it again on its port, and what was recorded before is still there', async () => {
    // given a unit recorded through the API on its embedded cluster
    const operator = `Bearer ${await signToken({ sub: 'op', role: 'operator' }, SECRET)}`;
    const unit = (id: string) =>
      request(api.url)
        .post('/units')
        .set('Authorization', operator)
        .send({ id, name: id, kind: 'ward' });
    expect((await unit('before')).status).toBe(201);

    // when its postmaster is killed
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const killed = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(killed, 'SIGKILL');

    // then, within seconds, commands are recorded again by the same process, on a new postmaster
    const statuses: number[] = [];
    let position = 0;
    for (const deadline = Date.now() + 60_000; statuses.at(-1) !== 201;) {
      if (Date.now() > deadline) throw new Error(`no 201 within 60 s: ${statuses.join(' ')}`);
      const answer = await unit('after');
      statuses.push(answer.status);
      position = answer.body.position;
      if (answer.status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // meanwhile, a database away: 503 with Retry-After, never a 500
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(api.alive()).toBe(true);
    expect(Number(readFileSync(pidFile, 'utf8').split('\n')[0])).not.toBe(killed);
    const summary = await request(api.url)
      .get(`/units/before/summary?minPosition=${position}`)
      .set('Authorization', operator);
    expect(summary.status).toBe(200);
    expect(summary.body.unitId).toBe('before');
    expect(api.output.some(({ line }) => line.includes('starting it again'))).toBe(true);
  }, 120_000);

  it('stops the cluster it is starting again when it is stopped meanwhile, leaving none running', async () => {
    // given the postmaster killed again, and the API starting a new one (its pid file written)
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const postmaster = () => {
      try {
        return Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      } catch {
        return undefined; // between the old one's file and the new one's
      }
    };
    const killed = postmaster()!;
    process.kill(killed, 'SIGKILL');
    let started: number | undefined;
    for (const deadline = Date.now() + 30_000; !started || started === killed;) {
      if (Date.now() > deadline) throw new Error('no new postmaster within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
      started = postmaster();
    }

    // when the API is stopped (SIGTERM) while that start is under way
    await api.stop();

    // then the postmaster it was starting is gone with it, not left running with nobody to stop it
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const deadline = Date.now() + 10_000; alive(started) && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const leaked = alive(started);
    if (leaked) process.kill(started, 'SIGKILL'); // not left to the next suites either
    expect(leaked).toBe(false);
  }, 120_000);
});
