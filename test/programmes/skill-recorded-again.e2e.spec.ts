import type { Actor } from '#platform';
import {
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// Found by probing the API: a skill is attained once per member, and a second record answers the
// first result (/docs) — but only when both records came without an Idempotency-Key. A member who
// recorded vneid_level2 from an app that sends a key, recorded again by a coordinator's app that
// sends none (or another key), got 409 "the command changes nothing" instead.
describe('a skill recorded again, with and without an Idempotency-Key', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let volunteer: Actor;
  let coordinator: Actor;
  beforeAll(async () => {
    kit = await startCommandsKit('skill_recorded_again');
    ids = await seedTree(kit, 'sa');
    volunteer = { sub: ids.member, role: 'volunteer', unitId: ids.branch };
    coordinator = { sub: 'sa-coord', role: 'coordinator', unitId: ids.ward };
  });
  afterAll(async () => {
    await kit?.close();
  });

  const skill = (name: string, day: string) => ({
    skill: name,
    attainedAt: `2025-05-${day}T09:00:00+07:00`,
  });
  const key = (value: string) => ({ 'Idempotency-Key': value });

  it('given a skill recorded under a key, when it is recorded without one, then the first result and nothing appended', async () => {
    const first = await kit.post(
      `/members/${ids.member}/skills`,
      volunteer,
      skill('vneid_level2', '01'),
      key('sa-app-1'),
    );
    expect(first.status).toBe(201);
    const before = await kit.totalEvents();

    const again = await kit.post(
      `/members/${ids.member}/skills`,
      coordinator,
      skill('vneid_level2', '02'),
    );

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given a skill recorded without a key, when it is recorded under a new key, then the first result, and that key keeps its body', async () => {
    const first = await kit.post(
      `/members/${ids.other}/skills`,
      operator,
      skill('digital_signature', '01'),
    );
    expect(first.status).toBe(201);
    const before = await kit.totalEvents();

    const again = await kit.post(
      `/members/${ids.other}/skills`,
      coordinator,
      skill('digital_signature', '03'),
      key('sa-form-7'),
    );
    const resent = await kit.post(
      `/members/${ids.other}/skills`,
      coordinator,
      skill('digital_signature', '03'),
      key('sa-form-7'),
    );
    const reused = await kit.post(
      `/members/${ids.other}/skills`,
      coordinator,
      skill('party_handbook_app', '03'),
      key('sa-form-7'),
    );

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(resent.status).toBe(201);
    expect(resent.body).toEqual(first.body);
    // API.md: the same id with a different body is a 409, once the key has answered a result
    expect(reused.status).toBe(409);
    expect(reused.headers['content-type']).toMatch(PROBLEM);
    expect(reused.body.code).toBe('command_id_reused');
    expect(await kit.totalEvents()).toBe(before);
  });
});
