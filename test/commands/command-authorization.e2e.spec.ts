import type { Actor } from '#platform';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

describe('who may do what (API.md)', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let volunteer: Actor;
  let wardCoordinator: Actor;
  let branchCoordinator: Actor;
  let outsideCoordinator: Actor;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_authz');
    ids = await seedTree(kit, 'a');
    await kit.post('/units', operator, {
      id: 'a-ward2',
      name: 'Đoàn phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    volunteer = { sub: ids.member, role: 'volunteer', unitId: ids.branch };
    wardCoordinator = { sub: 'a-coord', role: 'coordinator', unitId: ids.ward };
    branchCoordinator = { sub: ids.other, role: 'coordinator', unitId: ids.branch };
    outsideCoordinator = { sub: 'a-out', role: 'coordinator', unitId: 'a-ward2' };
  });
  afterAll(async () => {
    await kit?.close();
  });

  it.each(['auditor', 'viewer'] as const)(
    '%s records nothing on any command route (403)',
    async (role) => {
      const reader: Actor = { sub: 'r-1', role };
      await kit.post('/members', operator, {
        id: 'a-reader-target',
        unitId: ids.branch,
        displayName: 'Mục Tiêu',
      });
      await kit.post('/shifts', operator, {
        id: 'a-r1',
        memberId: 'a-reader-target',
        location: 'x',
        startedAt: hoursAgo(300),
      });
      await kit.post('/campaigns', operator, {
        id: 'a-rc',
        unitId: ids.ward,
        name: 'x',
        startDate: '2025-08-09',
        endDate: '2025-08-10',
        dailyWindow: { from: '07:00', to: '22:00' },
      });
      const before = await kit.totalEvents();
      const answers = await Promise.all([
        kit.post('/units', reader, { name: 'x', kind: 'branch', parentId: ids.ward }),
        kit.post('/members', reader, { unitId: ids.branch, displayName: 'x' }),
        kit.send('delete', '/members/a-reader-target/personal-data', reader),
        kit.post('/campaigns', reader, {
          unitId: ids.ward,
          name: 'x',
          startDate: '2025-08-09',
          endDate: '2025-08-10',
          dailyWindow: { from: '07:00', to: '22:00' },
        }),
        kit.post('/campaigns/a-rc/extend', reader, { endDate: '2025-08-20' }),
        kit.post('/campaigns/a-rc/close', reader, {}),
        kit.post('/shifts', reader, {
          memberId: ids.member,
          location: 'x',
          startedAt: hoursAgo(100),
        }),
        kit.post('/shifts/a-r1/assistance', reader, {
          serviceType: 'other',
          occurredAt: hoursAgo(299),
        }),
        kit.post('/shifts/a-r1/end', reader, { endedAt: hoursAgo(298) }),
        kit.post('/shifts/a-r1/corrections', reader, { startedAt: hoursAgo(299), reason: 'x' }),
        kit.post('/shifts/a-r1/verify', reader, {}),
        kit.post('/shifts/a-r1/reject', reader, { reason: 'x' }),
        kit.post('/clubs', reader, { unitId: ids.ward, name: 'x', foundedAt: hoursAgo(1) }),
        kit.post('/posts', reader, {
          unitId: ids.ward,
          channel: 'fb',
          title: 'x',
          publishedAt: hoursAgo(1),
        }),
      ]);
      expect(answers.map((a) => a.status)).toEqual(Array(14).fill(403));
      expect(await kit.totalEvents()).toBe(before);
    },
  );

  describe('a volunteer', () => {
    it('starts, assists on, ends and corrects their own shift', async () => {
      expect(
        (
          await kit.post('/shifts', volunteer, {
            id: 'a-v1',
            memberId: ids.member,
            location: 'x',
            startedAt: hoursAgo(60),
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/shifts/a-v1/assistance', volunteer, {
            serviceType: 'app_install',
            occurredAt: hoursAgo(59),
          })
        ).status,
      ).toBe(201);
      expect(
        (await kit.post('/shifts/a-v1/end', volunteer, { endedAt: hoursAgo(58) })).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/shifts/a-v1/corrections', volunteer, {
            startedAt: hoursAgo(59.5),
            reason: 'arrived later',
          })
        ).status,
      ).toBe(201);
    });

    it("never touches another member's shift", async () => {
      expect(
        (
          await kit.post('/shifts', volunteer, {
            memberId: ids.other,
            location: 'x',
            startedAt: hoursAgo(70),
          })
        ).status,
      ).toBe(403);
      await kit.post('/shifts', operator, {
        id: 'a-o1',
        memberId: ids.other,
        location: 'x',
        startedAt: hoursAgo(80),
      });
      expect(
        (
          await kit.post('/shifts/a-o1/assistance', volunteer, {
            serviceType: 'other',
            occurredAt: hoursAgo(79),
          })
        ).status,
      ).toBe(403);
      expect(
        (await kit.post('/shifts/a-o1/end', volunteer, { endedAt: hoursAgo(78) })).status,
      ).toBe(403);
      expect(await kit.streamLength('shift-a-o1')).toBe(1);
    });

    it('neither verifies, rejects nor registers anything', async () => {
      expect((await kit.post('/shifts/a-v1/verify', volunteer, {})).status).toBe(403);
      expect((await kit.post('/shifts/a-v1/reject', volunteer, { reason: 'x' })).status).toBe(403);
      expect(
        (await kit.post('/units', volunteer, { name: 'x', kind: 'branch', parentId: ids.branch }))
          .status,
      ).toBe(403);
      expect(
        (await kit.post('/members', volunteer, { unitId: ids.branch, displayName: 'x' })).status,
      ).toBe(403);
      expect(
        (
          await kit.post('/campaigns', volunteer, {
            unitId: ids.branch,
            name: 'x',
            startDate: '2025-08-09',
            endDate: '2025-08-10',
            dailyWindow: { from: '07:00', to: '22:00' },
          })
        ).status,
      ).toBe(403);
    });
  });

  describe('a coordinator', () => {
    it('registers units, members, campaigns, clubs and posts inside the subtree, at once usable', async () => {
      expect(
        (
          await kit.post('/units', wardCoordinator, {
            id: 'a-new',
            name: 'Chi đoàn mới',
            kind: 'branch',
            parentId: ids.ward,
          })
        ).status,
      ).toBe(201);
      // The unit registered a moment ago is already inside the coordinator's subtree.
      expect(
        (
          await kit.post('/members', wardCoordinator, {
            id: 'a-new-m',
            unitId: 'a-new',
            displayName: 'Võ Văn Mới',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/units', wardCoordinator, {
            id: 'a-new-2',
            name: 'Tổ',
            kind: 'branch',
            parentId: 'a-new',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/campaigns', wardCoordinator, {
            id: 'a-c1',
            unitId: 'a-new',
            name: 'x',
            startDate: '2025-08-09',
            endDate: '2025-08-10',
            dailyWindow: { from: '07:00', to: '22:00' },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/clubs', wardCoordinator, {
            unitId: ids.ward,
            name: 'CLB',
            foundedAt: hoursAgo(1),
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kit.post('/posts', wardCoordinator, {
            unitId: ids.branch,
            channel: 'fb',
            title: 'x',
            publishedAt: hoursAgo(1),
          })
        ).status,
      ).toBe(201);
      expect(
        (await kit.post('/campaigns/a-c1/extend', wardCoordinator, { endDate: '2025-08-12' }))
          .status,
      ).toBe(201);
    });

    it('acts for members of the subtree and verifies their shifts', async () => {
      expect(
        (
          await kit.post('/shifts', wardCoordinator, {
            id: 'a-c-s1',
            memberId: 'a-new-m',
            location: 'x',
            startedAt: hoursAgo(10),
          })
        ).status,
      ).toBe(201);
      expect(
        (await kit.post('/shifts/a-c-s1/end', wardCoordinator, { endedAt: hoursAgo(8) })).status,
      ).toBe(201);
      expect((await kit.post('/shifts/a-v1/verify', wardCoordinator, {})).status).toBe(201);
      await kit.post('/shifts/a-o1/end', operator, { endedAt: hoursAgo(78) });
      expect(
        (await kit.post('/shifts/a-c-s1/reject', wardCoordinator, { reason: 'no sign-in sheet' }))
          .status,
      ).toBe(201);
    });

    it('never verifies their own shift', async () => {
      // branchCoordinator is member ids.other, whose shift a-o1 is pending.
      const own = await kit.post('/shifts/a-o1/verify', branchCoordinator, {});
      expect(own.status).toBe(403);
      expect(
        (await kit.post('/shifts/a-o1/reject', branchCoordinator, { reason: 'x' })).status,
      ).toBe(403);
      expect(await kit.streamLength('shift-a-o1')).toBe(2);
    });

    it('is refused outside the subtree, and for root units', async () => {
      const outside = outsideCoordinator;
      const answers = [
        await kit.post('/units', outside, { name: 'x', kind: 'branch', parentId: ids.ward }),
        await kit.post('/members', outside, { unitId: ids.branch, displayName: 'x' }),
        await kit.post('/shifts', outside, {
          memberId: ids.member,
          location: 'x',
          startedAt: hoursAgo(200),
        }),
        await kit.post('/shifts/a-o1/verify', outside, {}),
        await kit.post('/campaigns/a-c1/close', outside, {}),
        await kit.post('/clubs', outside, { unitId: ids.ward, name: 'x', foundedAt: hoursAgo(1) }),
        await kit.post('/posts', outside, {
          unitId: ids.ward,
          channel: 'fb',
          title: 'x',
          publishedAt: hoursAgo(1),
        }),
        await kit.post('/units', wardCoordinator, { name: 'root', kind: 'province' }),
      ];
      expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
      expect(answers[0]!.body).toMatchObject({ status: 403, detail: expect.any(String) });
    });
  });

  it('an operator does everything, everywhere', async () => {
    expect(
      (await kit.post('/units', operator, { name: 'Tỉnh đoàn 2', kind: 'province' })).status,
    ).toBe(201);
    expect((await kit.post('/shifts/a-o1/verify', operator, {})).status).toBe(201);
    expect((await kit.post('/campaigns/a-c1/close', operator, {})).status).toBe(201);
  });
});
