import request from 'supertest';
import { campaignStreamId, eventSchemaVersions } from '#domain';
import {
  operator,
  PROBLEM,
  scriptedEvent,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * Whether PostgreSQL and Node read `zone` apart at `instant`, asked without the code under test:
 * PostgreSQL's `AT TIME ZONE` and the offset Intl prints (Node's ICU data).
 */
const readApart = async (kit: CommandsKit, zone: string, instant: string) => {
  const [row] = await kit.sql<{ minutes: number }>(
    `SELECT (extract(epoch FROM ($1::timestamptz AT TIME ZONE $2) - ($1::timestamptz AT TIME ZONE 'UTC')) / 60)::int AS minutes`,
    [instant, zone],
  );
  const printed = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant))
    .find((part) => part.type === 'timeZoneName')!.value; // "GMT-08:00", or "GMT" for zero
  const [, sign, h, m] = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(printed)!;
  const minutes = sign ? (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(m)) : 0;
  return row!.minutes !== minutes;
};

/**
 * A campaign's local times are read by Luxon with Node's tz data and by PostgreSQL with its own
 * (zone-agreement.ts). Where the two copies differ, the campaign's progress and its leaderboards
 * counted its hours in different windows (America/Vancouver from November 2026 on this machine: 1.5
 * verified hours on one, 2 on the other). Such a launch or extension is now refused.
 */
describe('a campaign in a zone that PostgreSQL and the server read differently', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('campaign_zone_data');
    ids = await seedTree(kit, 'tzd');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const launch = (id: string, timezone: string, startDate: string, endDate: string) =>
    kit.send('post', '/campaigns', operator, {
      id,
      unitId: ids.ward,
      name: 'Chiến dịch mùa đông',
      startDate,
      endDate,
      timezone,
      dailyWindow: { from: '08:00', to: '22:00' },
    });

  it('launches a campaign in a zone both read alike', async () => {
    // given Ho Chi Minh City, which both read at +07:00
    expect(await readApart(kit, 'Asia/Ho_Chi_Minh', '2026-12-15T12:00:00Z')).toBe(false);
    // when a campaign is launched there, then it is recorded
    expect((await launch('tzd-hcm', 'Asia/Ho_Chi_Minh', '2026-12-01', '2026-12-31')).status).toBe(
      201,
    );
  });

  it('refuses a launch, and an extension, into the days the two read apart', async () => {
    // given Vancouver, whose winter offset the two copies of the tz data may give differently
    const apart = await readApart(kit, 'America/Vancouver', '2026-12-15T12:00:00Z');
    const expected = apart ? 422 : 201;
    // when a winter campaign is launched there, then it is refused exactly when they differ, naming
    // the zone and recording nothing
    const before = await kit.totalEvents();
    const winter = await launch('tzd-winter', 'America/Vancouver', '2026-12-01', '2026-12-31');
    expect({ apart, status: winter.status }).toEqual({ apart, status: expected });
    if (apart) {
      expect(winter.headers['content-type']).toMatch(PROBLEM);
      expect(winter.body).toMatchObject({ status: 422, code: 'timezone_data_disagree' });
      expect(winter.body.detail).toMatch(/America\/Vancouver differently from 2026-1[01]-/);
      expect(await kit.totalEvents()).toBe(before);
    }

    // and a summer campaign there, read alike, is launched, but not extended into the winter
    expect(await readApart(kit, 'America/Vancouver', '2026-07-15T12:00:00Z')).toBe(false);
    expect(
      (await launch('tzd-summer', 'America/Vancouver', '2026-07-01', '2026-07-31')).status,
    ).toBe(201);
    const extended = await kit.send('post', '/campaigns/tzd-summer/extend', operator, {
      endDate: '2026-12-31',
    });
    expect({ apart, status: extended.status }).toEqual({ apart, status: expected });
  });
});

/**
 * A campaign recorded before the two copies of the tz data parted (an upgrade of PostgreSQL or Node
 * under it, or an older release without the refusal) is already in the log: /health names it, as the
 * optional `timeZoneData` component, so that the operator updates the older copy.
 */
describe('/health over stored campaigns in zones the two read differently', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('campaign_zone_health', { worker: true });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const stored = (campaignId: string, timezone: string, startDate: string, endDate: string) =>
    kit.store.append(
      campaignStreamId(campaignId),
      [
        {
          ...scriptedEvent(`${campaignId}-launched`, 'CampaignLaunched', {
            campaignId,
            unitId: 'tzh-ward',
            name: 'Chiến dịch mùa đông',
            timezone,
            startDate,
            endDate,
            dailyWindow: { from: '08:00', to: '22:00' },
            goals: {},
            serviceTypes: null,
          }),
          schemaVersion: eventSchemaVersions.CampaignLaunched,
        },
      ],
      { expectedVersion: 'no_stream' },
    );

  it('reports the campaigns whose dates the two read apart, and none other', async () => {
    // given a winter campaign in Vancouver and one in Ho Chi Minh City, stored past today's gate
    const apart = await readApart(kit, 'America/Vancouver', '2026-12-15T12:00:00Z');
    expect(await readApart(kit, 'Asia/Ho_Chi_Minh', '2026-12-15T12:00:00Z')).toBe(false);
    await kit.record('/units', { id: 'tzh-ward', name: 'Đoàn phường 7', kind: 'ward' });
    await stored('tzh-hcm', 'Asia/Ho_Chi_Minh', '2026-12-01', '2026-12-31');
    const { position } = await stored('tzh-van', 'America/Vancouver', '2026-12-01', '2026-12-31');
    const progress = await kit.send(
      'get',
      `/campaigns/tzh-van/progress?minPosition=${position}`,
      operator,
    );
    expect(progress.status).toBe(200);

    // when a probe asks /health
    const health = await request(kit.server).get('/health');

    // then the component says whether they are read apart, naming that campaign alone; the status is
    // degraded by it (optional: commands and reads still answer), never unavailable
    expect(health.status).toBe(200);
    const report = health.body.components.timeZoneData;
    expect({ apart, healthy: report.healthy }).toEqual({ apart, healthy: !apart });
    expect(report.campaigns).toBe(2);
    if (apart) {
      expect(health.body.status).toBe('degraded');
      expect(report.error).toMatch(/1 campaign\(s\) in zones/);
      expect(report.apart).toEqual([
        {
          campaignId: 'tzh-van',
          problem: expect.stringMatching(/America\/Vancouver differently from 2026-1[01]-/),
        },
      ]);
    } else expect(report.apart).toBeUndefined();
  });
});
