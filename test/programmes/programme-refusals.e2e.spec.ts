import type request from 'supertest';
import type { Actor } from '#platform';
import {
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// Roles of API.md's table for the programme and skill routes, and refusals that name the field or
// rule; every refusal leaves the log as it was.
describe('who may record programmes and skills, and what is refused', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let volunteer: Actor;
  let wardCoordinator: Actor;
  let outsideCoordinator: Actor;
  const programme = (unitId: string, extra: object = {}) => ({
    unitId,
    kind: 'awareness',
    title: 'Phòng chống lừa đảo trên mạng',
    startsAt: '2025-03-01T08:00:00+07:00',
    ...extra,
  });
  const skill = { skill: 'vneid_level2', attainedAt: '2025-03-01T08:00:00+07:00' };
  beforeAll(async () => {
    kit = await startCommandsKit('programmes_refusals');
    ids = await seedTree(kit, 'r');
    await kit.post('/units', operator, {
      id: 'r-ward2',
      name: 'Đoàn phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.post('/programmes', operator, programme(ids.ward, { id: 'r-p1' }));
    volunteer = { sub: ids.member, role: 'volunteer', unitId: ids.branch };
    wardCoordinator = { sub: 'r-coord', role: 'coordinator', unitId: ids.ward };
    outsideCoordinator = { sub: 'r-out', role: 'coordinator', unitId: 'r-ward2' };
  });
  afterAll(async () => {
    await kit?.close();
  });

  // Takes the request as a function: it must be sent after the log is counted.
  const refused = async (send: () => Promise<request.Response>, status: number, rule: string) => {
    const before = await kit.totalEvents();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.stringify(res.body)).toContain(rule);
    expect(await kit.totalEvents()).toBe(before);
  };

  it('lets coordinators record programmes and counts inside their subtree only', async () => {
    const inside = await kit.post('/programmes', wardCoordinator, programme(ids.branch));
    expect(inside.status).toBe(201);
    const counted = await kit.post('/programmes/r-p1/attendance', wardCoordinator, {
      members: 12,
      recordedAt: '2025-03-02T08:00:00+07:00',
    });
    expect(counted.status).toBe(201);
    await refused(
      () => kit.post('/programmes', outsideCoordinator, programme(ids.ward)),
      403,
      'outside',
    );
    await refused(
      () =>
        kit.post('/programmes/r-p1/attendance', outsideCoordinator, {
          members: 1,
          recordedAt: '2025-03-03T08:00:00+07:00',
        }),
      403,
      'outside',
    );
    await refused(() => kit.post('/programmes', volunteer, programme(ids.branch)), 403, 'role');
  });

  it('lets a volunteer record their own skills, never another member’s', async () => {
    expect((await kit.post(`/members/${ids.member}/skills`, volunteer, skill)).status).toBe(201);
    // a volunteer is told the skills rule, not the shifts one
    await refused(
      () => kit.post(`/members/${ids.other}/skills`, volunteer, skill),
      403,
      'A volunteer records only their own skills',
    );
    await refused(
      () => kit.post(`/members/${ids.other}/skills`, outsideCoordinator, skill),
      403,
      'outside',
    );
    await refused(
      () => kit.post(`/members/${ids.other}/skills`, { sub: 'v', role: 'viewer' }, skill),
      403,
      'role',
    );
    expect((await kit.post(`/members/${ids.other}/skills`, wardCoordinator, skill)).status).toBe(
      201,
    );
  });

  // Found by probing the API: the skills route ignored the Idempotency-Key, so a key reused for
  // another skill recorded that skill as a new event, and reused with another date answered 201
  // recording nothing. API.md: the same id with a different body is a 409.
  it('holds an Idempotency-Key to its body: the same answer again, 409 for another body', async () => {
    // given a skill the member did not have, recorded under a key
    const key = { 'Idempotency-Key': 'r-skill-key-1' };
    const keyed = { ...skill, skill: 'public_service_account' };
    const first = await kit.post(`/members/${ids.other}/skills`, operator, keyed, key);
    expect(first.status).toBe(201);

    // when the same key comes again with the same body, with another skill, with another date
    const again = await kit.post(`/members/${ids.other}/skills`, operator, keyed, key);
    const otherSkill = { ...keyed, skill: 'digital_signature' };
    const otherDate = { ...keyed, attainedAt: '2025-03-02T08:00:00+07:00' };

    // then the first answer, then a 409 naming the reused id each time, and nothing recorded
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    await refused(
      () => kit.post(`/members/${ids.other}/skills`, operator, otherSkill, key),
      409,
      'command_id_reused',
    );
    await refused(
      () => kit.post(`/members/${ids.other}/skills`, operator, otherDate, key),
      409,
      'command_id_reused',
    );
  });

  it('names the field of a bad body and the rule a command breaks', async () => {
    await refused(
      () => kit.post('/programmes', operator, programme(ids.ward, { kind: 'picnic' })),
      400,
      'kind',
    );
    await refused(
      () => kit.post('/programmes', operator, programme(ids.ward, { attendees: { members: -3 } })),
      400,
      'members',
    );
    await refused(
      () =>
        kit.post('/programmes/r-p1/attendance', operator, { citizens: 5, recordedAt: 'yesterday' }),
      400,
      'recordedAt',
    );
    await refused(
      () =>
        kit.post(`/members/${ids.member}/skills`, operator, { ...skill, skill: 'VNeID level 2' }),
      400,
      'skill',
    );
    await refused(
      () =>
        kit.post('/programmes/r-p1/attendance', operator, {
          recordedAt: '2025-03-04T08:00:00+07:00',
        }),
      422,
      'attendance-required',
    );
    await refused(
      () =>
        kit.post('/programmes/r-p1/attendance', operator, {
          members: 3,
          recordedAt: '2025-03-01T09:00:00+07:00',
        }),
      409,
      'attendance-superseded',
    );
    await refused(
      () =>
        kit.post('/programmes/r-none/attendance', operator, {
          members: 3,
          recordedAt: '2025-03-04T08:00:00+07:00',
        }),
      404,
      'programme-not-found',
    );
    await kit.send('delete', `/members/${ids.other}/personal-data`, operator);
    await refused(
      () =>
        kit.post(`/members/${ids.other}/skills`, operator, {
          ...skill,
          skill: 'digital_signature',
        }),
      422,
      'member-erased',
    );
  });

  // Found by probing the API: a partner that was empty, blank or too long was refused as "each value
  // in partners must be a string", the rule asked about the whole array instead of the partner.
  it.each([
    ['an empty partner', '', 'partners[1] must not be empty or only whitespace'],
    ['a blank partner', '  ', 'partners[1] must not be empty or only whitespace'],
    [
      'a partner of 201 characters',
      'p'.repeat(201),
      'partners[1] must be 1 to 200 characters long',
    ],
  ])('says which partner is refused and why: %s', async (_what, partner, message) => {
    // given a programme whose second partner breaks the free-text rule
    const body = programme(ids.ward, { partners: ['Công an phường', partner] });
    // when it is recorded, then the 400 names partners and the rule that partner breaks
    const before = await kit.totalEvents();
    const res = await kit.post('/programmes', operator, body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'partners', message }]);
    expect(await kit.totalEvents()).toBe(before);
  });

  // Found by fuzzing: an array where the head count object goes passed ValidateNested (which checks
  // each element of an array) and was recorded as no attendees at all: a 201 for a count of 5 that
  // the log holds as 0. Like dailyWindow and goals, attendees must be an object.
  it.each([[[{ members: 5 }]], [[]]])(
    'refuses attendees given as an array: %j',
    async (attendees) => {
      // given a ward; when a programme is recorded with its head count inside an array
      // then it is refused naming attendees, and nothing is recorded
      await refused(
        () => kit.post('/programmes', operator, programme(ids.ward, { attendees })),
        400,
        '"field":"attendees"',
      );
    },
  );
});
