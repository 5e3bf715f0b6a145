import { createHash } from 'node:crypto';
import { eventSchemaVersions, serviceTypes, type DomainEventType } from '#domain';
import type { NewEvent } from '#event-store';

/** One append: events of one stream, in order. */
export type Append = { streamId: string; events: NewEvent[] };

export type ActivityOptions = Readonly<{
  /** Stop generating shifts once this many events were produced. */
  targetEvents: number;
  seed?: number;
  /** Shifts under way at once: their events interleave in the log as they would in the field. */
  concurrentShifts?: number;
  members?: number;
  campaigns?: number;
  /** Units: one province, `districts` districts, `wardsPerDistrict` wards each, `branchesPerWard` branches each (8, 6, 5). */
  districts?: number;
  wardsPerDistrict?: number;
  branchesPerWard?: number;
  /** Members whose personal data is erased at the end (5). */
  erasures?: number;
  /** Put before every generated id, so that histories of different seeds can share a log (''). */
  idPrefix?: string;
}>;

const HOUR = 3_600_000;

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID derived from a name: the same event gets the same id on every run (EventStoreDB wants UUIDs). */
export function nameUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An instant in Vietnam's offset, as the field's clients send them. */
const vn = (ms: number) => new Date(ms + 7 * HOUR).toISOString().replace('Z', '+07:00');

/**
 * A province's activity as waves of appends: every append of a wave is to a different stream, so a wave
 * may be appended concurrently; waves must be appended in order (parents before children, a shift's
 * start before its end). Units, members and campaigns first; then shifts with assistance, ends,
 * corrections, verifications and rejections, interleaved `concurrentShifts` at a time; posts, clubs
 * and programmes (with a replaced head count) along the way; members' skills with their enrolment;
 * a few erasures at the end. Some facts fall outside the campaign window, some are recorded days
 * late, some shifts run past midnight, as in the field.
 */
export function* activityWaves(options: ActivityOptions): Generator<Append[]> {
  const rnd = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const prefix = options.idPrefix ?? '';
  let produced = 0;
  const make = (
    streamId: string,
    version: number,
    type: string,
    data: Record<string, unknown>,
    occurredMs: number,
    recordedMs = occurredMs,
    by = 'coordinator',
  ): NewEvent => {
    produced += 1;
    return {
      eventId: nameUuid(`${streamId}/${version}`),
      type,
      schemaVersion: eventSchemaVersions[type as DomainEventType] ?? 1,
      data,
      metadata: {
        occurredAt: vn(occurredMs),
        recordedAt: vn(recordedMs),
        recordedBy: by,
        commandId: `${streamId}/${version}`,
        correlationId: streamId,
        causationId: null,
      },
    };
  };
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  // A programme held by a unit, its head count replaced by a later one (issue 14).
  const programmeKinds = ['awareness', 'training', 'contest', 'youth_project'];
  const programmeAppend = (id: string, unitId: string, at: number, n: number): Append => ({
    streamId: `programme-${id}`,
    events: [
      make(
        `programme-${id}`,
        0,
        'ProgrammeHeld',
        {
          programmeId: id,
          unitId,
          kind: programmeKinds[n % 4],
          title: `Chương trình ${n}`,
          topic: null,
          startsAt: vn(at),
          endsAt: null,
          partners: [],
          attendees: { members: 20 + (n % 30), citizens: 50 + (n % 100) },
        },
        at,
      ),
      make(
        `programme-${id}`,
        1,
        'ProgrammeAttendanceRecorded',
        {
          programmeId: id,
          attendees: { members: 25 + (n % 30), citizens: 60 + (n % 100) },
          recordedAt: vn(at + 24 * HOUR),
        },
        at + 24 * HOUR,
      ),
    ],
  });
  // units: 1 province, 8 districts, 6 wards each, 5 branches each
  const unitEvent = (id: string, kind: string, parentId: string | null) => ({
    streamId: `unit-${id}`,
    events: [
      make(
        `unit-${id}`,
        0,
        'UnitRegistered',
        { unitId: id, name: `Đoàn ${kind} ${id}`, kind, parentId },
        t0,
      ),
    ],
  });
  const province = `${prefix}p0`;
  yield [unitEvent(province, 'province', null)];
  const children = (parents: string[], count: number, tag: string) =>
    parents.flatMap((parent) =>
      Array.from({ length: count }, (_, i) => ({ id: `${parent}${tag}${i}`, parent })),
    );
  const districtUnits = Array.from({ length: options.districts ?? 8 }, (_, d) => ({
    id: `${prefix}d${d}`,
    parent: province,
  }));
  const districts = districtUnits.map((u) => u.id);
  yield districtUnits.map((u) => unitEvent(u.id, 'district', u.parent));
  const wardUnits = children(districts, options.wardsPerDistrict ?? 6, 'w');
  const wards = wardUnits.map((u) => u.id);
  yield wardUnits.map((u) => unitEvent(u.id, 'ward', u.parent));
  const branchUnits = children(wards, options.branchesPerWard ?? 5, 'b');
  const branches = branchUnits.map((u) => u.id);
  yield branchUnits.map((u) => unitEvent(u.id, 'branch', u.parent));
  const members = Array.from({ length: options.members ?? 3_000 }, (_, i) => ({
    id: `${prefix}m${i}`,
    unit: pick(branches),
  }));
  // Two members in three have a level-2 e-ID, one in five a digital signature (issue 14's shares).
  const skillsOf = (i: number) =>
    [i % 3 !== 0 ? 'vneid_level2' : null, i % 5 === 0 ? 'digital_signature' : null].filter(
      (skill): skill is string => skill !== null,
    );
  yield members.map((m, i) => ({
    streamId: `member-${m.id}`,
    events: [
      make(
        `member-${m.id}`,
        0,
        'MemberEnrolled',
        { memberId: m.id, unitId: m.unit, displayName: `Đoàn viên ${m.id}` },
        t0 + HOUR,
      ),
      ...skillsOf(i).map((skill, k) =>
        make(
          `member-${m.id}`,
          k + 1,
          'MemberSkillAttained',
          { memberId: m.id, skill, attainedAt: vn(t0 + (2 + k) * HOUR) },
          t0 + (2 + k) * HOUR,
        ),
      ),
    ],
  }));
  const campaigns = Array.from({ length: options.campaigns ?? 12 }, (_, i) => {
    const start = t0 + (i * 28 + 7) * 24 * HOUR; // a week-long drive every four weeks, local midnight - 7 h
    const startDate = new Date(start).toISOString().slice(0, 10);
    const endDate = new Date(start + 6 * 24 * HOUR).toISOString().slice(0, 10);
    return {
      id: `${prefix}c${i}`,
      unit: pick([...districts, province]),
      start: Date.parse(`${startDate}T00:00:00+07:00`),
      startDate,
      endDate,
    };
  });
  yield campaigns.map((c) => ({
    streamId: `campaign-${c.id}`,
    events: [
      make(
        `campaign-${c.id}`,
        0,
        'CampaignLaunched',
        {
          campaignId: c.id,
          unitId: c.unit,
          name: `Chiến dịch ${c.id}`,
          timezone: 'Asia/Ho_Chi_Minh',
          startDate: c.startDate,
          endDate: c.endDate,
          dailyWindow: { from: '07:00', to: '22:00' },
          goals: { citizensAssisted: 7000, volunteerTurns: 150, verifiedHours: 600 },
          serviceTypes: null,
        },
        c.start - 24 * HOUR,
      ),
    ],
  }));
  const concurrent = options.concurrentShifts ?? 400;
  let shiftNo = 0;
  let extra = 0;
  while (produced < options.targetEvents) {
    const first: Append[] = [];
    const second: Append[] = [];
    for (let k = 0; k < concurrent && produced < options.targetEvents; k++) {
      const id = `${prefix}s${shiftNo++}`;
      const streamId = `shift-${id}`;
      const member = pick(members);
      const campaign = rnd() < 0.85 ? pick(campaigns) : null;
      const day = campaign
        ? campaign.start + Math.floor(rnd() * 8 - 0.5) * 24 * HOUR
        : t0 + Math.floor(rnd() * 360) * 24 * HOUR;
      const startMs =
        day + (6 + Math.floor(rnd() * 15)) * HOUR + Math.floor(rnd() * 4) * 15 * 60_000;
      const endMs = startMs + (rnd() < 0.05 ? 10 : 1 + Math.floor(rnd() * 5)) * HOUR;
      const late = rnd() < 0.05 ? 3 * 24 * HOUR : 60_000;
      let v = 0;
      const events: NewEvent[] = [
        make(
          streamId,
          v++,
          'ShiftStarted',
          {
            shiftId: id,
            memberId: member.id,
            campaignId: campaign?.id ?? null,
            location: 'Trung tâm phục vụ hành chính công',
            startedAt: vn(startMs),
          },
          startMs,
          startMs + late,
          member.id,
        ),
      ];
      const assists = Math.floor(rnd() * 14);
      for (let a = 0; a < assists; a++) {
        const at = startMs + Math.floor(rnd() * (endMs - startMs));
        events.push(
          make(
            streamId,
            v++,
            'CitizenAssisted',
            {
              assistanceId: `${id}a${a}`,
              shiftId: id,
              memberId: member.id,
              campaignId: campaign?.id ?? null,
              serviceType: pick(serviceTypes),
              citizens: 1 + Math.floor(rnd() * 4),
              occurredAt: vn(at),
              citizenRef: null,
            },
            at,
            at + late,
            member.id,
          ),
        );
      }
      const split = 1 + Math.floor(events.length / 2);
      first.push({ streamId, events: events.slice(0, split) });
      const rest = events.slice(split);
      if (rnd() < 0.97) {
        rest.push(
          make(
            streamId,
            v++,
            'ShiftEnded',
            { shiftId: id, endedAt: vn(endMs) },
            endMs,
            endMs + late,
            member.id,
          ),
        );
        if (rnd() < 0.03)
          rest.push(
            make(
              streamId,
              v++,
              'ShiftCorrected',
              {
                shiftId: id,
                startedAt: null,
                endedAt: vn(endMs - HOUR / 2),
                reason: 'left earlier',
              },
              endMs,
              endMs + 2 * HOUR,
            ),
          );
        const review = rnd();
        if (review < 0.8)
          rest.push(
            make(
              streamId,
              v++,
              'ShiftVerified',
              { shiftId: id, verifiedBy: 'coordinator' },
              endMs + HOUR,
              endMs + HOUR,
            ),
          );
        else if (review < 0.82)
          rest.push(
            make(
              streamId,
              v++,
              'ShiftRejected',
              { shiftId: id, rejectedBy: 'coordinator', reason: 'not on the roster' },
              endMs + HOUR,
              endMs + HOUR,
            ),
          );
      }
      if (rest.length) second.push({ streamId, events: rest });
    }
    for (let k = 0; k < concurrent / 40; k++) {
      const n = extra++;
      const unit = pick([...wards, ...branches]);
      const at = t0 + Math.floor(rnd() * 360 * 24) * HOUR;
      if (n % 10 === 5) {
        first.push(programmeAppend(`${prefix}g${n}`, unit, at, n));
        continue;
      }
      first.push(
        n % 10 === 0
          ? {
              streamId: `club-${prefix}k${n}`,
              events: [
                make(
                  `club-${prefix}k${n}`,
                  0,
                  'ClubFormed',
                  {
                    clubId: `${prefix}k${n}`,
                    unitId: unit,
                    name: `CLB CĐS ${n}`,
                    focus: null,
                    foundedAt: vn(at),
                    foundingMembers: 10,
                  },
                  at,
                ),
              ],
            }
          : {
              streamId: `post-${prefix}p${n}`,
              events: [
                make(
                  `post-${prefix}p${n}`,
                  0,
                  'PostPublished',
                  {
                    postId: `${prefix}p${n}`,
                    unitId: unit,
                    channel: pick(['fanpage', 'zalo']),
                    title: `Tin ${n}`,
                    url: null,
                    tags: [rnd() < 0.8 ? 'good-news' : 'beautiful-story'],
                    publishedAt: vn(at),
                    authorMemberId: null,
                  },
                  at,
                ),
              ],
            },
      );
    }
    yield first;
    if (second.length) yield second;
  }
  yield members.slice(0, options.erasures ?? 5).map((m, i) => ({
    streamId: `member-${m.id}`,
    events: [
      make(
        `member-${m.id}`,
        1 + skillsOf(i).length,
        'MemberDataErased',
        { memberId: m.id },
        t0 + 400 * 24 * HOUR,
      ),
    ],
  }));
}

/** Appends the waves: each wave's appends run `parallel` at a time, waves one after the other. */
export async function appendWaves(
  store: {
    append(
      streamId: string,
      events: readonly NewEvent[],
      options: { expectedVersion: 'any' },
    ): Promise<{ position: bigint }>;
  },
  waves: Iterable<Append[]>,
  parallel = 8,
  onWave?: (events: number) => void,
): Promise<{ events: number; lastPosition: bigint }> {
  let total = 0;
  let lastPosition = 0n;
  for (const wave of waves) {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallel, wave.length) }, async () => {
        while (next < wave.length) {
          const append = wave[next++]!;
          const { position } = await store.append(append.streamId, append.events, {
            expectedVersion: 'any',
          });
          if (position > lastPosition) lastPosition = position;
        }
      }),
    );
    const events = wave.reduce((n, a) => n + a.events.length, 0);
    total += events;
    onWave?.(events);
  }
  return { events: total, lastPosition };
}
