import type { Actor } from '#platform';
import { HoldProgrammeCommand, RecordAttendanceCommand } from '../programmes/programme.handlers.js';
import type { ControllableClock } from '../shared/clock.js';
import { AttainSkillCommand } from '../skills/attain-skill.handler.js';

/**
 * The rest of what the card drive's unions report (issue 14): the district's cyber-crime awareness
 * session ("465 members trained"), the ward's VNeID training, a contest whose first head count was
 * replaced by a later one, a youth project at the service centre, and the 32 volunteers' digital
 * skills (most with a level-2 e-ID). Recorded after the drive, with ids derived from the scenario, so
 * it changes none of the drive's figures and seeding twice records nothing new.
 */
export async function seedCardDriveProgrammes(
  send: (command: object) => Promise<void>,
  clock: ControllableClock,
  units: { district: string; ward: string; team: string },
  members: readonly string[],
): Promise<{ programmes: number; skills: number }> {
  const operator: Actor = { sub: 'seed-operator', role: 'operator' };
  const coordinator: Actor = { sub: 'cd25-coordinator', role: 'coordinator', unitId: units.ward };
  clock.set('2025-08-20T09:00:00+07:00');
  const programmes = [
    {
      actor: operator,
      id: 'cd25-prog-cyber-2025',
      unitId: units.district,
      kind: 'awareness' as const,
      title: 'Tuyên truyền phòng chống lừa đảo trên không gian mạng',
      topic: 'cyber-crime prevention',
      startsAt: '2025-03-22T08:00:00+07:00',
      endsAt: '2025-03-22T11:00:00+07:00',
      partners: ['Công an Quận 1'],
      attendees: { members: 465, citizens: 120 },
    },
    {
      actor: coordinator,
      id: 'cd25-prog-vneid-training',
      unitId: units.ward,
      kind: 'training' as const,
      title: 'Tập huấn cài đặt VNeID và Sổ tay đảng viên điện tử',
      topic: 'VNeID level 2',
      startsAt: '2025-08-05T14:00:00+07:00',
      endsAt: '2025-08-05T17:00:00+07:00',
      partners: [],
      attendees: { members: 32, citizens: 0 },
    },
    {
      actor: coordinator,
      id: 'cd25-prog-digital-contest',
      unitId: units.ward,
      kind: 'contest' as const,
      title: 'Cuộc thi tìm hiểu Bình dân học vụ số',
      topic: 'digital literacy',
      startsAt: '2025-07-01T08:00:00+07:00',
      endsAt: '2025-07-31T22:00:00+07:00',
      partners: ['Trường THPT Trưng Vương'],
      attendees: { members: 120, citizens: 40 },
    },
    {
      actor: coordinator,
      id: 'cd25-prog-service-point',
      unitId: units.team,
      kind: 'youth_project' as const,
      title: 'Công trình thanh niên: điểm hỗ trợ dịch vụ công trực tuyến',
      topic: null,
      startsAt: '2025-08-09T07:00:00+07:00',
      endsAt: '2025-08-15T22:00:00+07:00',
      partners: ['Trung tâm phục vụ hành chính công phường Bến Thành'],
      attendees: { members: 32, citizens: 0 },
    },
  ];
  for (const { actor, ...body } of programmes)
    await send(new HoldProgrammeCommand(actor, { ...body, topic: body.topic ?? undefined }));
  // The contest's final count (taken when the entries closed) replaces the first one.
  await send(
    new RecordAttendanceCommand(coordinator, 'cd25-prog-digital-contest', {
      commandId: 'cd25-prog-digital-contest-final-count',
      members: 148,
      citizens: 52,
      recordedAt: '2025-08-01T09:00:00+07:00',
    }),
  );
  // The service point's citizens, counted when the drive ended.
  await send(
    new RecordAttendanceCommand(coordinator, 'cd25-prog-service-point', {
      commandId: 'cd25-prog-service-point-count',
      citizens: 7000,
      recordedAt: '2025-08-16T09:00:00+07:00',
    }),
  );

  let skills = 0;
  for (const [i, memberId] of members.entries()) {
    const own = [
      i % 16 !== 5 ? 'vneid_level2' : null, // 30 of 32
      i % 4 !== 1 ? 'party_handbook_app' : null,
      i % 3 === 0 ? 'digital_signature' : null,
      i % 2 === 0 ? 'public_service_account' : null,
    ].filter((s): s is string => s !== null);
    // Half the volunteers record their own skills, the coordinator the others'.
    const actor: Actor =
      i % 2 === 0 ? { sub: memberId, role: 'volunteer', unitId: units.team } : coordinator;
    for (const skill of own) {
      await send(
        new AttainSkillCommand(actor, memberId, { skill, attainedAt: '2025-08-05T17:00:00+07:00' }),
      );
      skills++;
    }
  }
  return { programmes: programmes.length, skills };
}
