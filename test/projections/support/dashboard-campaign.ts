import { DateTime } from 'luxon';
import { hoursAgo, seedTree, type CommandsKit } from '../../commands/commands-kit.js';

/**
 * What a dashboard suite shows: the kit's tree (seedTree, `tag`), a campaign `<tag>-c1` of its ward
 * running today in Ho Chi Minh City all day long, and its member's shift `<tag>-s1` on it, begun three
 * hours ago and still open.
 */
export async function campaignWithOpenShift(kit: CommandsKit, tag: string) {
  const ids = await seedTree(kit, tag);
  const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
  await kit.record('/campaigns', {
    id: `${tag}-c1`,
    unitId: ids.ward,
    name: 'Ngày hội CĐS',
    startDate: today.minus({ days: 2 }).toISODate(),
    endDate: today.plus({ days: 1 }).toISODate(),
    dailyWindow: { from: '00:00', to: '24:00' },
  });
  await kit.record('/shifts', {
    id: `${tag}-s1`,
    memberId: ids.member,
    campaignId: `${tag}-c1`,
    location: 'TTHCC',
    startedAt: hoursAgo(3),
  });
  return ids;
}
