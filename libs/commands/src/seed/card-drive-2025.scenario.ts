import type { CommandBus } from '@nestjs/cqrs';
import { DateTime } from 'luxon';
import type { Actor } from '#platform';
import { LaunchCampaignCommand } from '../campaigns/campaign.handlers.js';
import { EnrollMemberCommand } from '../members/enroll-member.handler.js';
import { seedCardDriveProgrammes } from './card-drive-2025.programmes.js';
import type { ControllableClock } from '../shared/clock.js';
import type { CommandResult } from '../shared/command-result.js';
import {
  CorrectShiftCommand,
  EndShiftCommand,
  RecordAssistanceCommand,
  RejectShiftCommand,
  VerifyShiftCommand,
} from '../shifts/shift-action.handlers.js';
import { StartShiftCommand } from '../shifts/start-shift.handler.js';
import { RegisterUnitCommand } from '../units/register-unit.handler.js';

/**
 * The party-card replacement drive of DESIGN.md: a ward's 32-member volunteer team at the service
 * centre, 9–15 August 2025, 07:00–22:00, ~150 volunteer turns helping ~7,000 party members. Every id
 * is derived from the scenario, so seeding twice records nothing new (the commands are idempotent).
 */
const zone = 'Asia/Ho_Chi_Minh';
const days = [
  '2025-08-09',
  '2025-08-10',
  '2025-08-11',
  '2025-08-12',
  '2025-08-13',
  '2025-08-14',
  '2025-08-15',
];
const ward = 'cd25-ward-ben-thanh';
const team = 'cd25-team';
const campaignId = 'cd25-party-cards';
const operator: Actor = { sub: 'seed-operator', role: 'operator' };
const coordinator: Actor = { sub: 'cd25-coordinator', role: 'coordinator', unitId: ward };

const families = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
];
const middles = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Hữu', 'Thanh', 'Quốc', 'Thu'];
const givens = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Khoa',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Ngân',
  'Phúc',
  'Quân',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vy',
];

/** A small deterministic generator (mulberry32): the same scenario every time. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (date: string, minutes: number): string =>
  DateTime.fromISO(date, { zone }).plus({ minutes }).toISO({ suppressMilliseconds: true })!;

export type SeedStats = {
  commands: number;
  shifts: number;
  citizens: number;
  late: number;
  outOfWindow: number;
  /** Shifts the coordinator rejects: like those out of the window, they count for no progress. */
  rejected: number;
  /**
   * The latest log position the commands answered: a command recorded now lands past every event the
   * log held before, one answered from the log (a resend) names where it landed then.
   */
  lastPosition: number;
  /** Programmes and skills recorded after the drive (card-drive-2025.programmes.ts). */
  programmes: number;
  skills: number;
};

export async function seedCardDrive2025(
  bus: CommandBus,
  clock: ControllableClock,
  log: (line: string) => void,
): Promise<SeedStats> {
  const rand = random(20250809);
  const stats: SeedStats = {
    commands: 0,
    shifts: 0,
    citizens: 0,
    late: 0,
    outOfWindow: 0,
    rejected: 0,
    lastPosition: 0,
    programmes: 0,
    skills: 0,
  };
  const send = async (command: object) => {
    stats.commands++;
    const { position } = await bus.execute<object, CommandResult>(command);
    stats.lastPosition = Math.max(stats.lastPosition, position);
  };

  clock.set('2025-08-01T08:00:00+07:00');
  await send(
    new RegisterUnitCommand(operator, {
      id: 'cd25-district-1',
      name: 'Quận đoàn 1',
      kind: 'district',
    }),
  );
  await send(
    new RegisterUnitCommand(operator, {
      id: ward,
      name: 'Đoàn phường Bến Thành',
      kind: 'ward',
      parentId: 'cd25-district-1',
    }),
  );
  await send(
    new RegisterUnitCommand(operator, {
      id: team,
      name: 'Đội hình thanh niên tình nguyện TTHCC',
      kind: 'branch',
      parentId: ward,
    }),
  );
  const members = Array.from(
    { length: 32 },
    (_, i) => `cd25-member-${String(i + 1).padStart(2, '0')}`,
  );
  for (const [i, id] of members.entries()) {
    const displayName = `${families[i % families.length]} ${middles[(i * 5) % middles.length]} ${givens[(i * 7) % givens.length]}`;
    await send(new EnrollMemberCommand(operator, { id, unitId: team, displayName }));
  }
  await send(
    new LaunchCampaignCommand(coordinator, {
      id: campaignId,
      unitId: ward,
      name: 'Đổi thẻ đảng viên tháng 8/2025',
      startDate: days[0]!,
      endDate: days[days.length - 1]!,
      dailyWindow: { from: '07:00', to: '22:00' },
      timezone: zone,
      goals: { citizensAssisted: 7000, volunteerTurns: 150, verifiedHours: 600 },
      serviceTypes: ['party_card_replacement', 'app_install', 'eid_activation'],
    }),
  );
  log('seed: units, 32 members and the campaign recorded');

  const ended: string[] = [];
  let turn = 0;
  for (const date of days) {
    for (const memberId of members) {
      if (rand() > 140 / (days.length * members.length)) continue; // about 150 turns in all
      turn++;
      const shiftId = `cd25-shift-${date}-${memberId.slice(-2)}`;
      const volunteer: Actor = { sub: memberId, role: 'volunteer', unitId: team };
      // One shift in 30 starts at 06:00, before the window opens: it is kept, and shown as out-of-window.
      const early = turn % 30 === 7;
      const startMinute = early ? 6 * 60 : 7 * 60 + Math.floor(rand() * 20) * 30;
      const length = 180 + Math.floor(rand() * 5) * 30;
      const endMinute = Math.min(startMinute + length, 22 * 60);
      const [startedAt, endedAt] = [at(date, startMinute), at(date, endMinute)];
      // Most turns are typed in as the shift ends; one in ten is typed in two or three days late.
      const late = turn % 10 === 3;
      clock.set(
        DateTime.fromISO(endedAt)
          .plus(late ? { days: 2 + (turn % 2), hours: 3 } : { minutes: 2 })
          .toJSDate(),
      );
      if (late) stats.late++;
      if (early) stats.outOfWindow++;
      await send(
        new StartShiftCommand(volunteer, {
          id: shiftId,
          memberId,
          campaignId,
          location: 'Trung tâm phục vụ hành chính công phường Bến Thành',
          startedAt,
        }),
      );
      const visits = 4;
      for (let v = 0; v < visits; v++) {
        const citizens = 8 + Math.floor(rand() * 8);
        const serviceType =
          rand() < 0.88
            ? 'party_card_replacement'
            : rand() < 0.5
              ? 'app_install'
              : 'eid_activation';
        const occurredAt = at(
          date,
          startMinute + Math.floor(((endMinute - startMinute) * (v + 0.5)) / visits),
        );
        await send(
          new RecordAssistanceCommand(volunteer, shiftId, {
            id: `${shiftId}-visit-${v + 1}`,
            serviceType,
            citizens,
            occurredAt,
          }),
        );
        stats.citizens += citizens;
      }
      await send(new EndShiftCommand(volunteer, shiftId, { commandId: `${shiftId}-end`, endedAt }));
      if (turn % 25 === 12 && endMinute <= 21 * 60) {
        const corrected = at(date, endMinute + 30);
        clock.set(DateTime.fromISO(corrected).plus({ hours: 1 }).toJSDate());
        await send(
          new CorrectShiftCommand(volunteer, shiftId, {
            commandId: `${shiftId}-fix`,
            endedAt: corrected,
            reason: 'Quên kết thúc ca: ở lại hỗ trợ thêm 30 phút',
          }),
        );
      }
      ended.push(shiftId);
      stats.shifts++;
    }
  }
  log(`seed: ${stats.shifts} volunteer turns, ${stats.citizens} citizens assisted`);

  clock.set('2025-08-17T09:00:00+07:00');
  for (const [i, shiftId] of ended.entries()) {
    if (i === 42) {
      await send(
        new RejectShiftCommand(coordinator, shiftId, {
          commandId: `${shiftId}-reject`,
          reason: 'Không có tên trong sổ trực của trung tâm',
        }),
      );
      stats.rejected++;
    } else {
      await send(new VerifyShiftCommand(coordinator, shiftId, { commandId: `${shiftId}-verify` }));
    }
  }
  const recorded = await seedCardDriveProgrammes(
    send,
    clock,
    { district: 'cd25-district-1', ward, team },
    members,
  );
  Object.assign(stats, recorded);
  log(`seed: ${recorded.programmes} programmes and ${recorded.skills} skills recorded`);
  clock.release();
  return stats;
}
