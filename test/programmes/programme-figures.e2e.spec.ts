import request from 'supertest';
import type { Actor } from '#platform';
import { operator, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';

// A district with 18 communes, two branches each and three members per branch (the field's 231
// branches and 2,710 members have this shape, only more of it). The test keeps its own tally of what
// it records and compares the read models with it.
const communes = Array.from({ length: 18 }, (_, c) => `d-c${c}`);
const branches = communes.flatMap((c) => [`${c}-b0`, `${c}-b1`]);
const members = branches.flatMap((b) => [0, 1, 2].map((m) => ({ id: `${b}-m${m}`, unitId: b })));
const communeOf = (unitId: string) => unitId.replace(/-b\d+$/, '');
const kinds = ['awareness', 'training', 'contest', 'youth_project'] as const;

describe("a district's programmes and digital skills (issue 14)", () => {
  let kit: CommandsKit;
  let last = 0;
  const ok = async (res: Promise<request.Response>) => {
    const r = await res;
    if (r.status !== 201) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    last = Math.max(last, r.body.position);
    return r;
  };
  const get = async (path: string) => {
    const sep = path.includes('?') ? '&' : '?';
    const res = await request(kit.server)
      .get(`${path}${sep}minPosition=${last}`)
      .set('Authorization', await kit.bearer({ sub: 'v-1', role: 'viewer' }));
    expect(res.status).toBe(200);
    return res.body;
  };
  // The independent tally: programme id → unit, kind, final head counts; member → skills, erased.
  const programmes = new Map<
    string,
    { unitId: string; kind: string; members: number; citizens: number }
  >();
  const skills = new Map<string, Set<string>>();
  const erased = new Set<string>();
  const firstResults = new Map<string, unknown>();

  beforeAll(async () => {
    kit = await startCommandsKit('programmes_figures', { worker: true });
    await ok(kit.post('/units', operator, { id: 'd', name: 'Huyện đoàn', kind: 'district' }));
    for (const c of communes)
      await ok(
        kit.post('/units', operator, {
          id: c,
          name: `Đoàn xã ${c}`,
          kind: 'commune',
          parentId: 'd',
        }),
      );
    for (const b of branches)
      await ok(
        kit.post('/units', operator, {
          id: b,
          name: `Chi đoàn ${b}`,
          kind: 'branch',
          parentId: communeOf(b),
        }),
      );
    for (const m of members)
      await ok(
        kit.post('/members', operator, { id: m.id, unitId: m.unitId, displayName: `ĐVTN ${m.id}` }),
      );

    // Programmes of every kind at the district, at each commune and at some branches.
    const hosts = ['d', ...communes, ...branches.filter((_, i) => i % 5 === 0)];
    for (const [i, unitId] of hosts.entries()) {
      const id = `p-${i}`;
      const kind = kinds[i % kinds.length]!;
      const attendees = { members: 10 + (i % 7), citizens: kind === 'training' ? 0 : 30 + i };
      const day = String(1 + (i % 28)).padStart(2, '0');
      await ok(
        kit.post('/programmes', operator, {
          id,
          unitId,
          kind,
          title: `Chương trình ${i}`,
          topic: kind === 'awareness' ? 'cyber-crime prevention' : undefined,
          startsAt: `2024-${i < 20 ? '03' : '09'}-${day}T08:00:00+07:00`,
          partners: ['Công an huyện'],
          attendees,
        }),
      );
      programmes.set(id, { unitId, kind, ...attendees });
    }
    // Counts taken afterwards replace the first ones (the second count is not added to the first).
    for (const id of ['p-0', 'p-1', 'p-7']) {
      const p = programmes.get(id)!;
      await ok(
        kit.post(`/programmes/${id}/attendance`, operator, {
          members: 99,
          citizens: 200,
          recordedAt: '2024-10-01T09:00:00+07:00',
        }),
      );
      await ok(
        kit.post(`/programmes/${id}/attendance`, operator, {
          members: p.members + 5,
          recordedAt: '2024-10-02T09:00:00+07:00',
        }),
      );
      programmes.set(id, { ...p, members: p.members + 5, citizens: 200 });
    }

    // Skills for part of the members; one member with a level-2 e-ID is erased afterwards.
    for (const [i, m] of members.entries()) {
      const own = new Set<string>();
      if (i % 3 !== 0) own.add('vneid_level2');
      if (i % 4 === 0) own.add('digital_signature');
      for (const skill of own) {
        const res = await ok(
          kit.post(`/members/${m.id}/skills`, operator, {
            skill,
            attainedAt: '2025-05-01T09:00:00+07:00',
          }),
        );
        firstResults.set(`${m.id} ${skill}`, res.body);
      }
      skills.set(m.id, own);
    }
    await ok(kit.send('delete', `/members/${members[1]!.id}/personal-data`, operator));
    erased.add(members[1]!.id);
  });
  afterAll(async () => {
    await kit?.close();
  });

  const inSubtree = (root: string) => (unitId: string) =>
    root === 'd' || unitId === root || communeOf(unitId) === root;
  const expectedShare = (root: string, skill: string) => {
    const current = members.filter((m) => inSubtree(root)(m.unitId) && !erased.has(m.id));
    const having = current.filter((m) => skills.get(m.id)!.has(skill)).length;
    return { members: current.length, having, share: having / current.length };
  };

  it("lists the district's programmes with totals, and filters by period and kind", async () => {
    const all = [...programmes.values()];
    const body = await get('/units/d/programmes');
    expect(body.programmes).toHaveLength(all.length);
    expect(body.totals).toEqual({
      programmes: all.length,
      members: all.reduce((n, p) => n + p.members, 0),
      citizens: all.reduce((n, p) => n + p.citizens, 0),
    });
    expect(
      body.programmes.find((p: { programmeId: string }) => p.programmeId === 'p-1').attendees,
    ).toEqual({
      members: programmes.get('p-1')!.members,
      citizens: 200,
    });
    const contestsInMarch = await get(
      '/units/d/programmes?from=2024-03-01&to=2024-03-31&kind=contest',
    );
    const expected = [...programmes.entries()].filter(
      ([id, p]) => p.kind === 'contest' && Number(id.slice(2)) < 20,
    );
    expect(contestsInMarch.totals.programmes).toBe(expected.length);
    expect(contestsInMarch.programmes.every((p: { kind: string }) => p.kind === 'contest')).toBe(
      true,
    );
  });

  it('answers the share of current members with a level-2 e-ID at the district and at a commune', async () => {
    for (const root of ['d', communes[0]!]) {
      const want = expectedShare(root, 'vneid_level2');
      const body = await get(`/units/${root}/digital-skills`);
      expect(body.members).toBe(want.members);
      expect(body.skills.vneid_level2.members).toBe(want.having);
      expect(body.skills.vneid_level2.share).toBeCloseTo(want.share, 4);
    }
    expect(expectedShare(communes[0]!, 'vneid_level2').members).toBe(5); // the erased one is out
  });

  it('adds programmes and their attendees to the unit summary, over the subtree', async () => {
    for (const root of ['d', communes[1]!]) {
      const mine = [...programmes.values()].filter((p) => inSubtree(root)(p.unitId));
      const summary = await get(`/units/${root}/summary`);
      expect(summary.programmes).toBe(mine.length);
      expect(summary.programmeAttendees).toEqual({
        members: mine.reduce((n, p) => n + p.members, 0),
        citizens: mine.reduce((n, p) => n + p.citizens, 0),
      });
    }
  });

  it('records a skill once: a second record answers the first result and appends nothing', async () => {
    const member = members[2]!.id;
    const volunteer: Actor = {
      sub: member,
      role: 'volunteer',
      unitId: communeOf(members[2]!.unitId),
    };
    const before = await kit.totalEvents();
    const again = await kit.post(`/members/${member}/skills`, volunteer, {
      skill: 'vneid_level2',
      attainedAt: '2025-07-01T09:00:00+07:00',
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(firstResults.get(`${member} vneid_level2`));
    expect(await kit.totalEvents()).toBe(before);
  });
});
