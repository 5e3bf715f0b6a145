import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  DirectoryService,
  EndShiftCommand,
  StartShiftCommand,
  type CommandResult,
} from '#commands';
import type { EventStore, NewEvent } from '#event-store';
import type { Actor } from '#platform';
import { createApp } from '../../apps/api/src/app.factory.js';
import { directoryEventTypes } from '../../libs/commands/src/directory/directory.projector.js';
import { CommandDatabase } from '../../libs/commands/src/shared/command-database.js';
import {
  activityWaves,
  appendWaves,
  nameUuid,
  type Append,
} from '../../libs/projections/src/demo/activity-generator.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import { dumpLive, withoutPositions } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// What a script, a seed or an older writer may append straight to the store, past the API's gate:
// data that is null or not an object, or without the id its consumers key rows by. Each sits in a
// stream of its own, between the appends of a normal history, so the normal events keep their stream
// versions (which read models store) and only their global positions move.
const oddData: readonly [stream: string, type: string, data: unknown, schemaVersion?: number][] = [
  ['shift', 'ShiftStarted', null],
  ['shift', 'CitizenAssisted', { serviceType: 'eid_activation', citizens: 7, occurredAt: 'x' }],
  ['shift', 'ShiftEnded', { endedAt: '2025-01-02T10:00:00+07:00' }],
  ['shift', 'ShiftCorrected', 'moved'],
  ['shift', 'ShiftVerified', 42],
  ['shift', 'ShiftRejected', []],
  ['member', 'MemberEnrolled', { displayName: 'x' }],
  ['member', 'MemberEnrolled', { memberId: 'odd-member', displayName: 'x' }],
  ['member', 'MemberSkillAttained', null],
  ['member', 'MemberDataErased', {}],
  ['unit', 'UnitRegistered', { name: 'x', kind: 'ward', parentId: null }],
  ['campaign', 'CampaignLaunched', null],
  ['campaign', 'CampaignClosed', {}],
  ['club', 'ClubFormed', { name: 'x', foundingMembers: 3 }],
  ['post', 'PostPublished', { title: 'x', tags: ['good-news'] }],
  ['programme', 'ProgrammeHeld', 'x'],
  ['programme', 'ProgrammeAttendanceRecorded', { members: 4, citizens: 2 }, 1],
  ['citizen', 'CitizenDataErased', null],
];

let n = 0;
function oddEvent(type: string, data: unknown, schemaVersion = 1): NewEvent {
  const id = `odd-${++n}`;
  const at = '2025-01-02T10:00:00+07:00';
  return {
    eventId: nameUuid(id),
    type,
    schemaVersion,
    data: data as Record<string, unknown>,
    metadata: {
      occurredAt: at,
      recordedAt: at,
      recordedBy: 'script',
      commandId: id,
      correlationId: id,
      causationId: null,
    },
  };
}

/** The history with an odd event, in a stream of its own, after each of its appends in turn. */
function withOddEvents(waves: Append[][]): Append[][] {
  let next = 0;
  return waves.map((wave) =>
    wave.flatMap((append) => {
      const [stream, type, data, version] = oddData[next++ % oddData.length]!;
      return [
        append,
        { streamId: `${stream}-odd-${next}`, events: [oddEvent(type, data, version)] },
      ];
    }),
  );
}

const operator: Actor = { sub: 'op-1', role: 'operator' };

describe('events a consumer cannot read, appended straight to the store between normal ones', () => {
  let plain: Fixture;
  let odd: Fixture;
  let plainDb: CommandDatabase;
  let app: INestApplication;
  let dataDir: string;
  let memberId: string;
  const warnings: string[] = [];

  /** The write-side directory's catch-up, then its checkpoint (throws if one event stops it). */
  async function directoryPosition(directory: DirectoryService, f: Fixture): Promise<bigint> {
    await directory.catchUp();
    const { rows } = await f.pool.query<{ position: string }>(
      'SELECT position FROM cmd_directory_checkpoint',
    );
    return BigInt(rows[0]?.position ?? -1);
  }
  const directoryRows = async (f: Fixture) =>
    (
      await f.pool.query<{ row: string }>(
        `SELECT to_jsonb(u)::text AS row FROM cmd_units u
         UNION ALL SELECT to_jsonb(s)::text FROM cmd_shifts s ORDER BY 1`,
      )
    ).rows.map((r) => r.row);

  beforeAll(async () => {
    // given one history appended twice: as the API wrote it, and with odd events between its appends
    const waves = [
      ...activityWaves({ targetEvents: 600, members: 12, campaigns: 2, concurrentShifts: 6 }),
    ];
    const events = waves.flat().flatMap((a) => a.events);
    const erased = new Set(
      events.filter((e) => e.type === 'MemberDataErased').map((e) => e.data.memberId),
    );
    memberId = events
      .filter((e) => e.type === 'MemberEnrolled')
      .map((e) => e.data.memberId as string)
      .find((id) => !erased.has(id))!;
    plain = await projectionFixture('odd_events_plain');
    odd = await projectionFixture('odd_events_odd', { log: (line) => warnings.push(line) });
    plain.track((await appendWaves(plain.store, waves, 1)).lastPosition);
    odd.track((await appendWaves(odd.store, withOddEvents(waves), 1)).lastPosition);
    plainDb = new CommandDatabase({ connectionString: plain.url });
    await plainDb.migrate();
    // and the odd log's command side: the application, its directory and command handlers
    dataDir = mkdtempSync(join(tmpdir(), 'odd-events-'));
    app = await createApp({
      databaseUrl: odd.url,
      dataDir,
      jwtSecret: TEST_JWT_SECRET,
      worker: false,
      env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
    });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await plainDb?.close();
    await plain?.close();
    await odd?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('every projection and the directory pass them: their checkpoints reach the head', async () => {
    // when the projections and the directory catch up
    await Promise.all([plain.settle(), odd.settle()]); // throws when a checkpoint stalls

    // then the projections reach the last event of the odd log, the directory the last it reads
    // (odd ones included), and each odd type was reported once
    const head = await odd.store.headPosition();
    const { rows: last } = await odd.pool.query<{ position: string }>(
      'SELECT max(global_position)::text AS position FROM events WHERE type = ANY($1)',
      [directoryEventTypes],
    );
    expect(await directoryPosition(app.get(DirectoryService), odd)).toBe(BigInt(last[0]!.position));
    const { rows } = await odd.pool.query<{ position: string }>(
      `SELECT position FROM projection_checkpoints WHERE state = 'live'`,
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(BigInt(row.position)).toBe(head);
    const passedOver = warnings.filter((line) => /passed over/.test(line));
    expect(new Set(passedOver).size).toBe(passedOver.length);
    expect(passedOver.join('\n')).toMatch(/ShiftEnded .*missing key/);
    expect(passedOver.join('\n')).toMatch(/ShiftStarted .*unreadable data/);
  }, 60_000);

  it("the normal events' figures are exactly those of the same history without the odd ones", async () => {
    // when both logs are projected and folded into their directories
    await Promise.all([plain.settle(), odd.settle()]);
    await directoryPosition(new DirectoryService(plainDb, plain.store as EventStore), plain);
    await directoryPosition(app.get(DirectoryService), odd);

    // then every read model and the directory hold the same rows, row for row
    const [withOdd, without] = await Promise.all([dumpLive(odd.pool), dumpLive(plain.pool)]);
    expect(Object.keys(without).length).toBeGreaterThan(10);
    expect(withoutPositions(withOdd)).toEqual(withoutPositions(without));
    expect(await directoryRows(odd)).toEqual(await directoryRows(plain));
  }, 60_000);

  it('a shift is still started, and ended past an unreadable end in its own stream', async () => {
    const commands = app.get(CommandBus);
    const at = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    // when a shift is started through its command handler
    const started: CommandResult = await commands.execute(
      new StartShiftCommand(operator, {
        id: 'odd-events-shift',
        memberId,
        location: 'Trung tâm hành chính công',
        startedAt: at(3),
      }),
    );
    // and a script appends an end without its shift id to the shift's stream
    await odd.store.append(started.streamId, [oddEvent('ShiftEnded', { endedAt: at(2) })], {
      expectedVersion: 'any',
    });
    // then the shift is still open for every reader, and ends through the API
    const endedAt = at(1);
    const ended: CommandResult = await commands.execute(
      new EndShiftCommand(operator, 'odd-events-shift', { endedAt }),
    );
    expect(started.version).toBe(0);
    expect(ended.version).toBe(2);
    await odd.settle();
    const schema = await odd.schema('volunteer-activity');
    const { rows } = await odd.pool.query<{ ended_at: Date }>(
      `SELECT ended_at FROM ${schema}.shifts WHERE shift_id = 'odd-events-shift'`,
    );
    expect(rows.map((r) => r.ended_at.toISOString())).toEqual([endedAt]);
  }, 60_000);
});
