import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory.js';
import { newEvent as straight } from '../../libs/event-store/src/testing/event-fixtures.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import {
  hoursAgo,
  launchCampaign,
  operator,
  seedTree,
  shiftStart,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';
import { countPoolMessages, type PoolMessages } from './pool-messages.js';

/** A message of the directory's catch-up: its feed read, or its checkpoint's write. */
const catchingUp = (message: string) =>
  /FROM events WHERE global_position > \$1|INSERT INTO cmd_directory_checkpoint/.test(message);

/**
 * What a command that moves a shift in time (start, end, correct) costs in messages to PostgreSQL,
 * counted on the app's own pools (pool-messages.ts). It holds the member's guard and reads the
 * member's other shifts from the write-side directory, which must first hold what writers that keep
 * no directory rows appended (DirectoryService.catchUp); whether there is any is asked in the message
 * that takes the guard. This process's own events, and another API process's, wrote their rows in the
 * transaction of their append: nothing is read or applied again for them.
 */
describe('a command under a member guard catches the directory up only with what it lacks', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let messages: PoolMessages;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_guarded_rt');
    ids = await seedTree(kit, 'grt');
    messages = countPoolMessages(kit.app);
  });
  afterAll(async () => {
    await kit?.close();
  });

  const launch = (campaignId: string) => launchCampaign(kit, campaignId, ids.branch);

  const start = (id: string, memberId: string, hours: number, campaignId?: string) =>
    kit.post('/shifts', operator, shiftStart(id, memberId, hours, campaignId));

  /** Waits until the feed shows `position` (no older transaction of the server still open). */
  const inTheFeed = async (position: bigint) => {
    for (let i = 0; i < 200 && (await kit.store.headPosition()) < position; i++)
      await new Promise((done) => setTimeout(done, 50));
  };

  it('starts and ends a campaign shift without reading back its own earlier events', async () => {
    // given a member who started and ended a shift in an open campaign through this process (its
    // directory rows written with those events)
    await launch('grt-drive');
    await kit.record('/members', { id: 'grt-a', unitId: ids.branch, displayName: 'Lê Văn Ca' });
    expect((await start('grt-a-1', 'grt-a', 9, 'grt-drive')).status).toBe(201);
    await kit.record('/shifts/grt-a-1/end', { endedAt: hoursAgo(8) });

    // when they start another shift in it, and end it
    const started = await messages.of(() => start('grt-a-2', 'grt-a', 7, 'grt-drive'));
    const ended = await messages.of(() =>
      kit.post('/shifts/grt-a-2/end', operator, { endedAt: hoursAgo(6) }),
    );

    // then both are recorded with no catch-up message, in six each: the start reads its new stream,
    // then sends BEGIN with the locks, the heads and the catch-up question, reads the member's shifts,
    // appends, writes its directory row and commits; the end (its shift folded here) sends that
    // message, reads the member's shifts, appends, reads and writes its directory row and commits
    expect(started.status).toBe(201);
    expect(ended.status).toBe(201);
    expect(started.messages.filter(catchingUp)).toEqual([]);
    expect(ended.messages.filter(catchingUp)).toEqual([]);
    expect(started.messages).toHaveLength(6);
    expect(started.messages[1]).toMatch(
      /^BEGIN;.*member-shifts:grt-a.*EXECUTE cmd_directory_question/,
    );
    expect(started.messages[5]).toBe('COMMIT');
    expect(ended.messages).toHaveLength(6);
    expect(ended.messages[0]).toMatch(
      /^BEGIN;.*member-shifts:grt-a.*EXECUTE cmd_directory_question/,
    );
    expect(ended.messages[5]).toBe('COMMIT');
  });

  it('asks the question with the guard taken after the stream lock of a shift raced for', async () => {
    // given a shift under way to which another writer appended an assistance behind this process's
    // back (this process's folded state is one version behind)
    await kit.record('/members', { id: 'grt-r', unitId: ids.branch, displayName: 'Đỗ Văn Đua' });
    expect((await start('grt-r-1', 'grt-r', 3)).status).toBe(201);
    await kit.store.append(
      'shift-grt-r-1',
      [
        straight('CitizenAssisted', {
          assistanceId: randomUUID(),
          shiftId: 'grt-r-1',
          memberId: 'grt-r',
          campaignId: null,
          serviceType: 'other',
          citizens: 1,
          occurredAt: hoursAgo(2.5),
          citizenRef: null,
        }),
      ],
      { expectedVersion: 0n },
    );

    // when the shift is ended through this process
    const ended = await messages.of(() =>
      kit.post('/shifts/grt-r-1/end', operator, { endedAt: hoursAgo(2) }),
    );

    // then it is recorded on the fresh stream: the retry took the shift's lock with BEGIN, then the
    // member's guard with the question, and nothing was caught up
    expect(ended.status).toBe(201);
    expect(await kit.streamLength('shift-grt-r-1')).toBe(3);
    const guarded = ended.messages.filter((m) => m.includes('member-shifts:grt-r'));
    expect(guarded.at(-1)).not.toMatch(/^BEGIN;/);
    expect(guarded.at(-1)).toMatch(/EXECUTE cmd_directory_question/);
    expect(ended.messages.filter(catchingUp)).toEqual([]);
  });

  it('weighs a shift another API process on the same database recorded, reading nothing back', async () => {
    // given a second instance of the app on the same database, which records a shift of the member
    const dataDir = mkdtempSync(join(tmpdir(), 'cmd-guarded-second-'));
    let second: INestApplication | undefined;
    try {
      second = await createApp({
        databaseUrl: kit.databaseUrl,
        dataDir,
        jwtSecret: TEST_JWT_SECRET,
        worker: false,
        env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
      });
      const there = await request(second.getHttpServer())
        .post('/shifts')
        .set('Authorization', await kit.bearer(operator))
        .send({ id: 'grt-there', memberId: ids.member, location: 'x', startedAt: hoursAgo(20) });
      expect(there.status).toBe(201);

      // when this process starts an overlapping shift of the member
      const here = await messages.of(() => start('grt-here', ids.member, 19.5));

      // then it is refused for the overlap, and the other process's events were not caught up
      // (it wrote their rows in their transaction)
      expect(here.status).toBe(422);
      expect(
        await kit.sql('SELECT 1 FROM events WHERE stream_id = $1', ['shift-grt-here']),
      ).toEqual([]);
      expect(here.messages.filter(catchingUp)).toEqual([]);
    } finally {
      await second?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('catches up a shift appended straight to the store, once, and weighs it at once', async () => {
    // given a shift of the member, 30–28 hours ago, appended straight to the store (no directory
    // row), in the feed
    const { position } = await kit.store.append(
      'shift-grt-straight',
      [
        straight('ShiftStarted', {
          shiftId: 'grt-straight',
          memberId: ids.other,
          campaignId: null,
          location: 'x',
          startedAt: hoursAgo(30),
        }),
        straight('ShiftEnded', { shiftId: 'grt-straight', endedAt: hoursAgo(28) }),
      ],
      { expectedVersion: 'no_stream' },
    );
    await inTheFeed(position);

    // when the member starts a shift over it, then one after it
    const over = await messages.of(() => start('grt-over', ids.other, 29));
    const after = await messages.of(() => start('grt-after', ids.other, 1));

    // then the first is refused for the overlap, having caught the directory up; the second is
    // recorded without catching up again
    expect(over.status).toBe(422);
    expect(over.messages.filter(catchingUp)).not.toEqual([]);
    expect(after.status).toBe(201);
    expect(after.messages.filter(catchingUp)).toEqual([]);
  });

  it('weighs a correction appended straight to the store to a shift this process recorded', async () => {
    // given a shift the member started and ended through this process, 50–49 hours ago, then
    // corrected straight in the store to 60–58 hours ago
    await kit.record('/members', { id: 'grt-b', unitId: ids.branch, displayName: 'Phạm Thị Bê' });
    expect((await start('grt-b-1', 'grt-b', 50)).status).toBe(201);
    await kit.record('/shifts/grt-b-1/end', { endedAt: hoursAgo(49) });
    const { position } = await kit.store.append(
      'shift-grt-b-1',
      [
        straight('ShiftCorrected', {
          shiftId: 'grt-b-1',
          startedAt: hoursAgo(60),
          endedAt: hoursAgo(58),
          reason: 'typed the wrong day',
        }),
      ],
      { expectedVersion: 1n },
    );
    await inTheFeed(position);

    // when the member starts a shift in the corrected hours, then one in the old hours
    const inCorrected = await start('grt-b-2', 'grt-b', 59);
    const inOld = await start('grt-b-3', 'grt-b', 49.5);

    // then only the corrected hours stand in the way
    expect(inCorrected.status).toBe(422);
    expect(inCorrected.body.code).toBe('shift_overlaps');
    expect(inOld.status).toBe(201);
  });
});
