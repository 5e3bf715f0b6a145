import { mkdtempSync, rmSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createPostgresEventStore } from '#event-store';
import { PersonalDataVault, signToken } from '#platform';
import { memberSubject } from '#commands';
import { syntheticOptions, writeSyntheticHistory } from '#projections';
import { activityWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { createApp } from '../../apps/api/src/app.factory.js';
import { createTestDatabase } from '../harness/database.js';
import { logOf, SECRET, seedCli, summaryOf } from './support/seed-synthetic-log.js';

const EVENTS = 3000;
const SEED = 21;
const args = ['synthetic', '--events', String(EVENTS), '--seed', String(SEED)];
type Database = Awaited<ReturnType<typeof createTestDatabase>>;
const cli = (db: Database, dataDir: string, more: string[]) => seedCli(db.url, dataDir, more);

/** A history of SEED written into `db` with the writer stopped where `run` says (not through the CLI). */
async function writeInterrupted(db: Database, run: Parameters<typeof writeSyntheticHistory>[4]) {
  const pool = new pg.Pool({ connectionString: db.url, max: 16 });
  const store = createPostgresEventStore({ pool });
  await store.init();
  const vault = new PersonalDataVault(pool);
  await vault.init();
  try {
    await writeSyntheticHistory(
      store,
      syntheticOptions(EVENTS, SEED),
      {
        seal: (memberId, name) => vault.seal(memberSubject(memberId), name),
        erase: (memberId) => vault.destroy(memberSubject(memberId)),
      },
      undefined,
      run,
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

describe('npm run cli -- seed synthetic --resume', () => {
  const waves = [...activityWaves(syntheticOptions(EVENTS, SEED))];
  const membersWave = waves.findIndex((w) => w[0]!.events[0]!.type === 'MemberEnrolled');
  const lastWave = waves.length - 1; // the erasures
  const erasedMember = waves[lastWave]![0]!.events[0]!.data.memberId as string;
  /** A wave of shifts with an append, not its first, to a stream the next wave appends to again. */
  const recurs = (k: number, streamId: string) =>
    waves[k + 1]!.some((b) => b.streamId === streamId);
  const sharedWave = waves.findIndex(
    (w, k) => k > membersWave && w.slice(1).some((a) => recurs(k, a.streamId)),
  );
  const cutAt = waves[sharedWave]!.findIndex((a, i) => i > 0 && recurs(sharedWave, a.streamId));
  let interrupted: Database;
  let whole: Database;
  let dataDir: string;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    [interrupted, whole] = await Promise.all([
      createTestDatabase('proj_resume_cut'),
      createTestDatabase('proj_resume_whole'),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'synthetic-resume-'));
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([interrupted.drop(), whole.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes a run killed mid-wave (twice) and after a key was destroyed: the log equals an uninterrupted run', async () => {
    // given a run stopped with 10 of the members wave's enrolments stored (their names sealed)
    expect(waves[lastWave]![0]!.events[0]!.type).toBe('MemberDataErased');
    expect(sharedWave).toBeLessThan(lastWave - 1);
    await writeInterrupted(interrupted, { stopAfter: { waves: membersWave, appends: 10 } });
    const cut = await logOf(interrupted.url);
    // and resumed, stopped in a wave before the append to a stream the next wave appends to again
    await writeInterrupted(interrupted, {
      resume: true,
      stopAfter: { waves: sharedWave, appends: cutAt },
    });
    // and resumed once more, stopped after the erased member's key was destroyed, before the append
    await writeInterrupted(interrupted, {
      resume: true,
      stopAfter: { waves: lastWave, appends: 0 },
    });
    const keyGone = await logOf(interrupted.url);
    expect(keyGone.erased).toEqual([{ subject_id: memberSubject(erasedMember) }]);
    expect(keyGone.events.some((e) => e.type === 'MemberDataErased')).toBe(false);
    // and an uninterrupted run of the same seed into another database
    const uninterrupted = await cli(whole, dataDir, args);

    // when the interrupted run is resumed through the command line
    const resumed = await cli(interrupted, dataDir, [...args, '--resume']);

    // then it writes the rest: the same events, streams, versions, data and times as the whole run
    expect(uninterrupted.code).toBe(0);
    expect(resumed.code).toBe(0);
    const [mine, theirs] = [await logOf(interrupted.url), await logOf(whole.url)];
    const comparable = (log: typeof mine) => log.events.map(({ sealed: _, ...e }) => e);
    expect(mine.events).toHaveLength(theirs.events.length);
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(mine.erased).toEqual(theirs.erased);
    expect(mine.keys).toBe(theirs.keys); // one key per member not erased, none sealed twice over
    // and the enrolments stored before the interruption were not sealed again
    const sealedBefore = new Map(cut.events.map((e) => [`${e.stream_id}/${e.version}`, e.sealed]));
    const kept = mine.events.filter((e) => sealedBefore.has(`${e.stream_id}/${e.version}`));
    expect(kept.filter((e) => e.type === 'MemberEnrolled')).toHaveLength(10);
    for (const e of kept) expect(e.sealed).toEqual(sealedBefore.get(`${e.stream_id}/${e.version}`));
    // and its summary is the whole history's, whose ids the read routes answer
    const summary = summaryOf(resumed.out);
    const { position: _, ...rest } = summaryOf(uninterrupted.out);
    expect(summary).toEqual({ ...rest, position: mine.position });
    expect(summary.memberIds).not.toContain(erasedMember);
    app = await createApp({
      databaseUrl: interrupted.url,
      dataDir,
      jwtSecret: SECRET,
      env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
    });
    const bearer = `Bearer ${await signToken({ sub: 'aud-1', role: 'auditor' }, SECRET)}`;
    const read = async (path: string): Promise<request.Response> => {
      const res = await request(app!.getHttpServer())
        .get(`${path}?minPosition=${summary.position}`)
        .set('Authorization', bearer);
      return res.status === 504 ? read(path) : res; // each read waits up to 5 s for the position
    };
    for (const id of summary.memberIds)
      // the first ten sealed before the interruption
      expect((await read(`/audit/members/${id}/hours`)).body).toMatchObject({
        memberId: id,
        displayName: `Đoàn viên ${id}`,
      });
    expect((await read(`/audit/members/${erasedMember}/hours`)).body).toMatchObject({
      displayName: '(erased)', // the erasure recorded on resume, its key already gone
    });
  });

  it('writes nothing on a complete history and prints the same summary', async () => {
    // given the history finished above
    const before = await logOf(interrupted.url);

    // when it is resumed again
    const again = await cli(interrupted, dataDir, [...args, '--resume']);

    // then nothing is written, and the summary counts the whole history up to its last position
    expect(again.code).toBe(0);
    expect(await logOf(interrupted.url)).toEqual(before);
    expect(summaryOf(again.out)).toMatchObject({
      events: before.events.length,
      position: before.position,
    });
  });

  it('refuses a log where an append of a wave is missing while the next wave is stored, writing nothing', async () => {
    // given the shared wave interrupted before its append at cutAt, and the next wave's append to
    // the wave's first stream (stored) appended anyway, as another writer would
    const gap = await createTestDatabase('proj_resume_gap');
    try {
      await writeInterrupted(gap, { stopAfter: { waves: sharedWave, appends: cutAt } });
      const first = waves[sharedWave]![0]!.streamId;
      const later = waves[sharedWave + 1]!.find((a) => a.streamId === first)!;
      const pool = new pg.Pool({ connectionString: gap.url, max: 1 });
      const store = createPostgresEventStore({ pool });
      await store.append(later.streamId, later.events, { expectedVersion: 'any' });
      await store.close();
      await pool.end();
      const before = await logOf(gap.url);

      // when it is resumed
      const refused = await cli(gap, dataDir, [...args, '--resume']);

      // then it is refused, naming both streams, and nothing is written
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(
        `stream ${first} holds an append of wave ${sharedWave + 1} while stream ` +
          `${waves[sharedWave]![cutAt]!.streamId} lacks its append of wave ${sharedWave}`,
      );
      expect(await logOf(gap.url)).toEqual(before);
    } finally {
      await gap.drop();
    }
  });
});
