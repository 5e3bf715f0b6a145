import pg from 'pg';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '#event-store';
import { EVENT_STORE, type Actor } from '#platform';
import type { CreateAppOptions } from '../../apps/api/src/app.factory.js';
import { PROBLEM, startTestApp, type TestApp } from '../platform/test-app.js';

export { PROBLEM };

/** The real app (no worker) plus helpers to send commands as a given actor and count stored events. */
export type CommandsKit = TestApp & {
  store: EventStore;
  send(
    method: 'get' | 'post' | 'delete',
    path: string,
    actor: Actor | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<request.Response>;
  post(
    path: string,
    actor: Actor | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<request.Response>;
  /** A command that must be recorded (201), as setup does; anything else throws with its answer. */
  record(
    path: string,
    body?: unknown,
    method?: 'post' | 'delete',
  ): Promise<{ id: string; streamId: string; version: number; position: number }>;
  streamLength(streamId: string): Promise<number>;
  totalEvents(): Promise<number>;
  sql<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Global positions of the events `where` selects, in feed order (read as text: they exceed 2^53). */
  positions(where: string, values: unknown[]): Promise<bigint[]>;
};

/** `worker: true` runs the projections in the same process (the read models then hold names too). */
export async function startCommandsKit(
  prefix: string,
  options: CreateAppOptions = {},
): Promise<CommandsKit> {
  const t = await startTestApp(prefix, { ...options, worker: options.worker ?? false });
  const store = t.app.get<EventStore>(EVENT_STORE);
  const send: CommandsKit['send'] = async (method, path, actor, body, headers = {}) => {
    let req = request(t.server)[method](path);
    if (actor) req = req.set('Authorization', await t.bearer(actor));
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? req : req.send(body as object);
  };
  const sql = async <Row>(text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as Row[];
    } finally {
      await client.end();
    }
  };
  return {
    ...t,
    store,
    send,
    post: (path, actor, body, headers) => send('post', path, actor, body, headers),
    record: async (path, body, method = 'post') => {
      const res = await send(method, path, operator, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    streamLength: async (streamId) => (await store.readStream(streamId)).length,
    sql,
    positions: async (where, values) =>
      (
        await sql<{ position: string }>(
          `SELECT global_position::text AS position FROM events WHERE ${where} ORDER BY global_position`,
          values,
        )
      ).map((row) => BigInt(row.position)),
    // Counted in SQL: the global feed holds back committed events while any transaction of the
    // (shared) server is open, and "nothing was recorded" must not pass because of that.
    totalEvents: async () => {
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        return Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
      } finally {
        await client.end();
      }
    },
  };
}

export const operator: Actor = { sub: 'op-1', role: 'operator' };
export const auditor: Actor = { sub: 'aud-1', role: 'auditor' };
export const viewer: Actor = { sub: 'view-1', role: 'viewer' };

/** Instants relative to the real clock (the app runs on the system clock). */
export const hoursAgo = (hours: number): string =>
  new Date(Date.now() - hours * 3_600_000).toISOString();
export const minutesAhead = (minutes: number): string =>
  new Date(Date.now() + minutes * 60_000).toISOString();

/**
 * An event as a script past the API appends it (`kit.store.append`), recorded now by `recordedBy`;
 * its id names its command too.
 */
export const scriptedEvent = (
  eventId: string,
  type: string,
  data: Record<string, unknown>,
  recordedBy = 'op-1',
): NewEvent => {
  const now = new Date().toISOString();
  return {
    eventId,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: now,
      recordedAt: now,
      recordedBy,
      commandId: eventId,
      correlationId: eventId,
      causationId: null,
    },
  };
};

/**
 * An assistance record (an hour ago, one citizen) as the API would write it, for appending straight
 * to the store: another process's append, which this process's cache misses, or a setup too long to
 * send over HTTP. `recordedBy` says who wrote it.
 */
export const storedAssistance = (shiftId: string, memberId: string, recordedBy: string): NewEvent =>
  scriptedEvent(
    randomUUID(),
    'CitizenAssisted',
    {
      assistanceId: randomUUID(),
      shiftId,
      memberId,
      campaignId: null,
      serviceType: 'other',
      citizens: 1,
      occurredAt: hoursAgo(1),
      citizenRef: null,
    },
    recordedBy,
  );

/** The snapshots GET /admin/snapshots lists, as an operator reads them. */
export const listedSnapshots = async (kit: CommandsKit): Promise<{ id: string }[]> =>
  (await kit.send('get', '/admin/snapshots', operator)).body.snapshots;

/** The job (`GET /admin/jobs/:id`, as an operator) once it is no longer running. */
export async function finishedJob(
  kit: CommandsKit,
  jobId: string,
): Promise<{ state: string; [field: string]: unknown }> {
  for (;;) {
    const job = await request(kit.server)
      .get(`/admin/jobs/${jobId}`)
      .set('Authorization', await kit.bearer(operator));
    if (job.body.state !== 'running') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The dates of a campaign open from half a year ago to half a year ahead: whatever `hoursAgo` a test
 * gives falls inside, and it stays within the longest campaign the domain accepts (a year).
 */
export const aroundNow = () => {
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { startDate: day(-180), endDate: day(180) };
};

/** A card-drive campaign of `unitId` open every day, all day, around now (`kit.record`: 201 or throw). */
export const launchCampaign = (kit: CommandsKit, campaignId: string, unitId: string) =>
  kit.record('/campaigns', {
    id: campaignId,
    unitId,
    name: 'Đổi thẻ đảng viên',
    ...aroundNow(),
    dailyWindow: { from: '00:00', to: '23:59' },
  });

/** The body of a shift start `hours` ago, in `campaignId` when one is given. */
export const shiftStart = (id: string, memberId: string, hours: number, campaignId?: string) => ({
  id,
  memberId,
  ...(campaignId ? { campaignId } : {}),
  location: 'Công an phường',
  startedAt: hoursAgo(hours),
});

/** Setup that must be recorded: anything but 201 stops the test naming the answer. */
export async function recorded(res: Promise<request.Response>): Promise<request.Response> {
  const r = await res;
  if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/** Registers a province → ward → branch tree and a member in the branch; returns their ids. */
export async function seedTree(kit: CommandsKit, tag: string) {
  const ids = {
    province: `${tag}-prov`,
    ward: `${tag}-ward`,
    branch: `${tag}-branch`,
    member: `${tag}-m1`,
    other: `${tag}-m2`,
  };
  const unit = (id: string, name: string, kind: string, parentId?: string) =>
    recorded(kit.post('/units', operator, { id, name, kind, ...(parentId ? { parentId } : {}) }));
  const member = (id: string, displayName: string) =>
    recorded(kit.post('/members', operator, { id, unitId: ids.branch, displayName }));
  await unit(ids.province, 'Tỉnh đoàn', 'province');
  await unit(ids.ward, 'Đoàn phường', 'ward', ids.province);
  await unit(ids.branch, 'Chi đoàn 1', 'branch', ids.ward);
  await member(ids.member, 'Nguyễn Văn An');
  await member(ids.other, 'Trần Thị Bình');
  return ids;
}
