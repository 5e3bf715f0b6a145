import type { Actor } from '#platform';
import type { CommandsKit } from '../../commands/commands-kit.js';
import type { ExchangeRecorder, Send } from './exchanges.js';

export const operator: Actor = { sub: 'op-1', role: 'operator' };
export const auditor: Actor = { sub: 'aud-1', role: 'auditor' };
export const viewer: Actor = { sub: 'v-1', role: 'viewer' };
export const coordinator: Actor = {
  sub: 'oc-coord',
  role: 'coordinator',
  unitId: 'cd25-ward-ben-thanh',
};
export const volunteer: Actor = { sub: 'cd25-member-01', role: 'volunteer', unitId: 'cd25-team' };
/** The card-drive seed's campaign (libs/commands seed). */
export const campaign = 'cd25-party-cards';
export const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

type Answer = { status: number; text: string; body: Record<string, unknown> };

/**
 * A walk over every route of API.md on the suite's app, each exchange kept by `x`. `must` notes an
 * answer other than the one driven for in `unexpected` and goes on, so one run lists every surprise.
 */
export type Tour = Readonly<{
  kit: CommandsKit;
  x: ExchangeRecorder;
  get(path: string, as: Actor | null, options?: Send): Promise<Answer>;
  post(path: string, as: Actor | null, body?: unknown, options?: Send): Promise<Answer>;
  del(path: string, as: Actor | null, options?: Send): Promise<Answer>;
  must(status: number, answer: Promise<{ status: number; text: string }>): Promise<Answer>;
  /** A command the server refuses as malformed (400), which /docs must refuse too. */
  refused(path: string, as: Actor | null, body: unknown): Promise<Answer>;
}>;

export function startTour(kit: CommandsKit, x: ExchangeRecorder, unexpected: string[]): Tour {
  const post: Tour['post'] = (path, as, body, options = {}) =>
    x.send('post', path, { as, body, ...options }) as Promise<Answer>;
  const must: Tour['must'] = async (status, answer) => {
    const res = await answer;
    if (res.status !== status)
      unexpected.push(`expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
    return res as Answer;
  };
  return {
    kit,
    x,
    get: (path, as, options = {}) => x.send('get', path, { as, ...options }) as Promise<Answer>,
    post,
    del: (path, as, options = {}) => x.send('delete', path, { as, ...options }) as Promise<Answer>,
    must,
    refused: (path, as, body) => must(400, post(path, as, body, { request: 'invalid' })),
  };
}

/** The open routes, then one of each command: recorded, resent, refused. */
export async function tourCommands(t: Tour): Promise<void> {
  const { get, post, del, must, refused } = t;
  // --- no token needed
  await must(200, get('/health', null));
  await must(200, get(`/dashboard?campaign=${campaign}`, null));
  // --- any token
  await must(200, get('/auth/whoami', viewer));
  await must(401, get('/auth/whoami', null, { request: 'invalid' }));
  await must(401, get('/auth/whoami', null, { headers: { Authorization: 'Bearer nonsense' } }));
  await must(200, get('/metrics', viewer));

  // --- commands, each recorded, resent, and refused
  const unit = {
    id: 'oc-unit',
    name: 'Chi đoàn kiểm tra',
    kind: 'branch',
    parentId: 'cd25-team',
  };
  await must(201, post('/units', operator, unit));
  await must(201, post('/units', operator, unit));
  await must(409, post('/units', operator, { ...unit, name: 'Một tên khác' }));
  await refused('/units', operator, { id: 'oc-x', kind: 'branch' });
  await refused('/units', operator, { id: 'oc-x', name: 1, kind: 'branch' });
  await must(
    400,
    post('/units', operator, undefined, {
      raw: { type: 'application/json', text: '{"id":' },
      request: 'invalid',
    }),
  );
  await must(
    415,
    post('/units', operator, undefined, {
      raw: { type: 'text/plain', text: 'units' },
      request: 'invalid',
    }),
  );
  await must(
    413,
    post(
      '/units',
      operator,
      { ...unit, id: 'oc-big', name: 'x'.repeat(70_000) },
      { request: 'skip' },
    ),
  );
  await must(
    403,
    post('/units', volunteer, { id: 'oc-y', name: 'Y', kind: 'branch', parentId: 'cd25-team' }),
  );
  await must(401, post('/units', null, unit, { request: 'invalid' }));
  // an id, a name and an Idempotency-Key outside their rules: /docs must refuse them as the server does
  await refused('/units', operator, { ...unit, colour: 'red' });
  await refused('/units', operator, { ...unit, id: 'oc unit!' });
  await refused('/units', operator, { ...unit, id: 'oc-long', name: 'x'.repeat(201) });
  await must(
    201,
    post('/members', coordinator, {
      id: 'oc-m1',
      unitId: 'oc-unit',
      displayName: 'Nguyễn Văn Kiểm',
    }),
  );
  await must(
    201,
    post('/members', coordinator, {
      id: 'oc-m2',
      unitId: 'oc-unit',
      displayName: 'Trần Thị Tra',
    }),
  );
  await must(
    404,
    post('/members', coordinator, { id: 'oc-m3', unitId: 'oc-nowhere', displayName: 'Ai' }),
  );
  await must(
    201,
    post('/members/oc-m1/skills', coordinator, { skill: 'vneid_level2', attainedAt: ago(48) }),
  );
  const launch = {
    id: 'oc-campaign',
    unitId: 'cd25-ward-ben-thanh',
    name: 'Chiến dịch kiểm tra',
    startDate: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
    endDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    dailyWindow: { from: '00:00', to: '23:59' },
    timezone: 'Asia/Ho_Chi_Minh',
    goals: { citizensAssisted: 100, volunteerTurns: 10, verifiedHours: 20 },
    serviceTypes: ['eid_activation', 'app_install'],
  };
  await must(201, post('/campaigns', coordinator, launch));
  await refused('/campaigns', coordinator, { ...launch, id: 'oc-c-none', serviceTypes: [] });
  await refused('/members/oc-m1/skills', coordinator, { skill: 'VNeID', attainedAt: ago(48) });
  await refused('/campaigns', coordinator, { ...launch, id: 'oc-c-old', startDate: '1999-12-31' });
  await refused('/campaigns', coordinator, { ...launch, id: 'oc-c-far', endDate: '2100-01-01' });
  await refused('/campaigns', coordinator, {
    ...launch,
    id: 'oc-c-win',
    dailyWindow: { from: '7h', to: '22:00' },
  });
  await must(
    201,
    post('/campaigns/oc-campaign/extend', coordinator, {
      endDate: launch.endDate.replace(/\d\d$/, '28'),
    }),
  );
  await must(201, post('/campaigns', coordinator, { ...launch, id: 'oc-closed' }));
  await must(201, post('/campaigns/oc-closed/close', coordinator));
  await must(404, post('/campaigns/oc-nowhere/close', coordinator));
  await must(404, post('/campaigns/oc-nowhere/extend', coordinator, { endDate: launch.endDate }));
  await must(
    404,
    post('/members/oc-nowhere/skills', coordinator, { skill: 'vneid_level2', attainedAt: ago(1) }),
  );
  await must(
    404,
    post('/programmes/oc-nowhere/attendance', coordinator, { members: 1, recordedAt: ago(1) }),
  );
  await must(404, del('/members/oc-nowhere/personal-data', operator));
  const shift = {
    id: 'oc-s1',
    memberId: 'oc-m1',
    campaignId: 'oc-campaign',
    location: 'TTHCC',
    startedAt: ago(5),
  };
  await must(201, post('/shifts', coordinator, shift));
  await must(
    422,
    post('/shifts', coordinator, { ...shift, id: 'oc-s-overlap', startedAt: ago(4) }),
  );
  await refused('/shifts', coordinator, {
    ...shift,
    id: 'oc-s-tz',
    startedAt: '2025-08-01T08:00:00+15:00',
  });
  await refused('/shifts', coordinator, {
    ...shift,
    id: 'oc-s-y',
    startedAt: '1999-08-01T08:00:00+07:00',
  });
  // spellings the gate takes (no seconds, an offset without its colon, a window to 24:00): the
  // document must take them too
  await must(
    201,
    post('/shifts', coordinator, {
      ...shift,
      id: 'oc-s3',
      memberId: 'cd25-member-03',
      startedAt: ago(3).replace(/:\d\d\.\d+Z$/, '+0000'),
    }),
  );
  await must(
    201,
    post('/campaigns', coordinator, {
      ...launch,
      id: 'oc-midnight',
      dailyWindow: { from: '07:00', to: '24:00' },
    }),
  );
  await must(
    201,
    post('/shifts/oc-s1/assistance', coordinator, {
      id: 'oc-a1',
      serviceType: 'eid_activation',
      citizens: 2,
      occurredAt: ago(4),
      citizenRef: 'CCCD-079200001234',
    }),
  );
  await refused('/shifts/oc-s1/assistance', coordinator, {
    id: 'oc-a2',
    serviceType: 'eid_activation',
    citizens: 0,
    occurredAt: ago(4),
  });
  await must(201, post('/shifts/oc-s1/end', coordinator, { endedAt: ago(2) }));
  await must(
    201,
    post('/shifts/oc-s1/corrections', coordinator, { endedAt: ago(1), reason: 'về muộn' }),
  );
  // resent with its key: the same answer; without one, a new verdict on a verified shift is a conflict
  const verify = { headers: { 'Idempotency-Key': 'oc-verify-s1' } };
  await must(201, post('/shifts/oc-s1/verify', coordinator, undefined, verify));
  await must(201, post('/shifts/oc-s1/verify', coordinator, undefined, verify));
  await must(409, post('/shifts/oc-s1/verify', coordinator));
  await must(201, post('/shifts', coordinator, { ...shift, id: 'oc-s2', memberId: 'oc-m2' }));
  await must(
    201,
    post(
      '/shifts/oc-s2/end',
      coordinator,
      { endedAt: ago(3) },
      { headers: { 'Idempotency-Key': 'oc-end-s2' } },
    ),
  );
  await must(
    400,
    post(
      '/shifts/oc-s2/reject',
      coordinator,
      { reason: 'x' },
      {
        headers: { 'Idempotency-Key': 'a key with spaces' },
        request: 'invalid',
      },
    ),
  );
  // an action's body may carry its commandId, which does what the Idempotency-Key header does
  await must(
    201,
    post('/shifts/oc-s2/reject', coordinator, {
      reason: 'không có mặt',
      commandId: 'oc-reject-s2',
    }),
  );
  await must(404, post('/shifts/oc-nowhere/end', coordinator, { endedAt: ago(1) }));
  await must(
    201,
    post('/clubs', coordinator, {
      id: 'oc-club',
      unitId: 'oc-unit',
      name: 'CLB Tin học',
      focus: 'digital',
      foundedAt: ago(200),
      foundingMembers: 5,
    }),
  );
  await must(
    201,
    post('/posts', coordinator, {
      id: 'oc-post',
      unitId: 'oc-unit',
      channel: 'facebook',
      title: 'Ngày hội thẻ',
      url: 'https://example.org/p/1',
      tags: ['good_news'],
      publishedAt: ago(30),
      authorMemberId: 'oc-m1',
    }),
  );
  await must(
    201,
    post('/programmes', coordinator, {
      id: 'oc-prog',
      unitId: 'oc-unit',
      kind: 'training',
      title: 'Tập huấn VNeID',
      topic: 'vneid',
      startsAt: ago(72),
      endsAt: ago(70),
      partners: ['Công an phường'],
      attendees: { members: 3, citizens: 10 },
    }),
  );
  await refused('/programmes', coordinator, {
    id: 'oc-prog-2',
    unitId: 'oc-unit',
    kind: 'party',
    title: 'X',
    startsAt: ago(72),
  });
  await must(
    201,
    post('/programmes/oc-prog/attendance', coordinator, {
      members: 4,
      citizens: 12,
      recordedAt: ago(69),
    }),
  );
  await must(201, del('/members/oc-m2/personal-data', operator));
  await must(
    201,
    del('/citizens/personal-data', operator, { body: { citizenRef: 'CCCD-079200001234' } }),
  );
  await must(
    403,
    del('/citizens/personal-data', coordinator, { body: { citizenRef: 'CCCD-079200001234' } }),
  );
  // a script's event past the API's gate, data not an object: the log keeps it as stored, and the
  // stream, the audit hours and the certificate carry it
  const now = new Date().toISOString();
  await t.kit.store.append(
    'shift-oc-s1',
    [
      {
        eventId: '6f2d0c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
        type: 'ShiftCorrected',
        schemaVersion: 1,
        data: null as unknown as Record<string, unknown>,
        metadata: {
          occurredAt: now,
          recordedAt: now,
          recordedBy: 'script',
          commandId: 'oc-script-1',
          correlationId: 'oc-script-1',
          causationId: null,
        },
      },
    ],
    { expectedVersion: 'any' },
  );
}
