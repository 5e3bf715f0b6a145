import type { Actor } from '#platform';
import { PROBLEM, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';

/**
 * An erasure destroys the subject's key before its event is appended (so that a failed append is
 * finished by a resend). An erasure whose Idempotency-Key another command already holds is refused
 * with 409 at the append: it destroyed the key all the same, so a coordinator of one ward who had
 * used a key (say "1") for an erasure of their own made another ward's erasure under that key a
 * refusal that still erased the member's name, with no MemberDataErased recorded (the member still
 * "not erased" in every read model and audit, under a name nobody can read). A key taken by another
 * command is now refused before anything is destroyed.
 */
describe('an erasure under a key another command holds', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const first: Actor = { sub: 'ek-coord1', role: 'coordinator', unitId: 'ek-ward' };
  const second: Actor = { sub: 'ek-coord2', role: 'coordinator', unitId: 'ek-ward2' };

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_erasure_key_taken');
    ids = await seedTree(kit, 'ek');
    await kit.record('/units', {
      id: 'ek-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', { id: 'ek-m9', unitId: 'ek-ward2', displayName: 'Hồ Văn Chín' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const erasedSubjects = async (subject: string) =>
    kit.sql('SELECT 1 FROM personal_data_erasures WHERE subject_id = $1', [subject]);

  it("given the first ward's erasure under the key '1', when the second ward erases its member under '1', then 409 and the member's key is kept", async () => {
    const taken = await kit.send(
      'delete',
      `/members/${ids.member}/personal-data`,
      first,
      undefined,
      {
        'Idempotency-Key': '1',
      },
    );
    expect(taken.status).toBe(201);
    const before = await kit.totalEvents();

    const res = await kit.send('delete', '/members/ek-m9/personal-data', second, undefined, {
      'Idempotency-Key': '1',
    });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 409, code: 'command_id_reused' });
    expect(await kit.totalEvents()).toBe(before);
    expect(await erasedSubjects('member-ek-m9')).toEqual([]);
  });

  it('given the same refusal, when the second ward erases its member under a key of its own, then the erasure is recorded', async () => {
    const res = await kit.send('delete', '/members/ek-m9/personal-data', second, undefined, {
      'Idempotency-Key': 'ek-own-key',
    });

    expect(res.status).toBe(201);
    expect(await kit.streamLength('member-ek-m9')).toBe(2);
    expect(await erasedSubjects('member-ek-m9')).toHaveLength(1);
  });

  it('given an erasure recorded under a key, when it is resent with that key, then its first result', async () => {
    const res = await kit.send('delete', `/members/${ids.member}/personal-data`, first, undefined, {
      'Idempotency-Key': '1',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: ids.member, version: 1 });
  });
});
