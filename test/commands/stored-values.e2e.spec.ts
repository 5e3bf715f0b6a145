import type { NewEvent } from '#event-store';
import type { Actor } from '#platform';
import {
  hoursAgo,
  operator,
  scriptedEvent,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

const viewer: Actor = { sub: 'viewer-1', role: 'viewer' };
const auditor: Actor = { sub: 'auditor-1', role: 'auditor' };

// Events an older, wider gate accepted stay in the log forever. Stored here straight through the
// event store (the gate refuses them now), they must not stop the write-side directory (every shift
// command answered 500 behind a ShiftCorrected at +16:00), a projection (a campaign from year 0000 or
// a post at +16:00 stalled theirs for good) or a read (the progress of a campaign ending 9999-12-31
// looped forever).
describe('odd values already in the log are processed, clamped, never thrown on', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let n = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    scriptedEvent(`odd-${++n}`, type, data);
  const store = (streamId: string, events: NewEvent[]) =>
    kit.store.append(streamId, events, { expectedVersion: 'no_stream' });
  const get = (path: string, actor: Actor) => kit.send('get', path, actor);

  beforeAll(async () => {
    kit = await startCommandsKit('stored_values', { worker: true });
    ids = await seedTree(kit, 'sv');
    await store('campaign-sv-odd', [
      event('CampaignLaunched', {
        campaignId: 'sv-odd',
        unitId: ids.ward,
        name: 'Năm 0000 đến 9999',
        timezone: 'Asia/Ho_Chi_Minh',
        startDate: '0000-01-01',
        endDate: '9999-12-31',
        dailyWindow: { from: '07:00', to: '22:00' },
        goals: { citizensAssisted: 10 },
      }),
    ]);
    const shift = { shiftId: 'sv-s-odd', memberId: ids.member, campaignId: 'sv-odd' };
    await store('shift-sv-s-odd', [
      event('ShiftStarted', { ...shift, location: 'x', startedAt: '2024-08-09T07:00:00+16:00' }),
      event('CitizenAssisted', {
        ...shift,
        assistanceId: 'sv-a-odd',
        serviceType: 'eid_activation',
        citizens: 9_000_000_000,
        occurredAt: '9999-12-31T23:00:00-16:00',
      }),
      event('ShiftEnded', { shiftId: shift.shiftId, endedAt: '2024-08-09T11:00:00+16:00' }),
      event('ShiftCorrected', {
        shiftId: shift.shiftId,
        startedAt: '2024-08-09T08:00:00+16:00',
        endedAt: null,
        reason: 'odd',
      }),
    ]);
    await store('post-sv-p-odd', [
      event('PostPublished', {
        postId: 'sv-p-odd',
        unitId: ids.ward,
        channel: 'facebook',
        title: 'Tin tốt',
        url: null,
        tags: ['good-news'],
        publishedAt: '2024-08-09T20:00:00+16:00',
        authorMemberId: null,
      }),
    ]);
    await store('club-sv-k-odd', [
      event('ClubFormed', {
        clubId: 'sv-k-odd',
        unitId: ids.ward,
        name: 'CLB',
        focus: null,
        foundedAt: '0000-01-01T00:00:00Z',
        foundingMembers: 3,
      }),
    ]);
  }, 120_000);
  afterAll(() => kit?.close());

  it('the directory catches up past a correction at +16:00: shift commands still answer 201', async () => {
    const started = await kit.post('/shifts', operator, {
      id: 'sv-s2',
      memberId: ids.member,
      location: 'Trung tâm hành chính công',
      startedAt: hoursAgo(3),
    });
    expect(started.status).toBe(201);
    const ended = await kit.post('/shifts/sv-s2/end', operator, { endedAt: hoursAgo(1) });
    expect(ended.status).toBe(201);
  });

  it('every projection reaches the last position and the reads answer, bounded', async () => {
    const last = await kit.post('/units', operator, {
      id: 'sv-after',
      name: 'Chi đoàn sau',
      kind: 'branch',
      parentId: ids.ward,
    });
    expect(last.status).toBe(201);
    const at = `minPosition=${last.body.position}`;

    const progress = await get(`/campaigns/sv-odd/progress?${at}`, viewer);
    expect(progress.status).toBe(200);
    // clamped to the years the domain accepts: every day of 2000–2099, not an endless loop
    expect(progress.body.startDate).toBe('2000-01-01');
    expect(progress.body.endDate).toBe('2099-12-31');
    expect(progress.body.byDay).toHaveLength(36_525);
    expect(progress.body.byDay.at(-1).date).toBe('2099-12-31');

    const summary = await get(`/units/${ids.ward}/summary?${at}`, viewer);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ clubs: 1, posts: 1 });

    const hours = await get(`/audit/members/${ids.member}/hours?${at}`, auditor);
    expect(hours.status).toBe(200);
    expect(hours.body.shifts.map((s: { shiftId: string }) => s.shiftId)).toContain('sv-s-odd');

    const cadence = await get(`/units/${ids.ward}/cadence?${at}`, viewer);
    expect(cadence.status).toBe(200);
  });
});
