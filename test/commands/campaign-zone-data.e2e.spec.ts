import { operator, PROBLEM, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';

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

  /**
   * Whether the two read `zone` apart at `instant`, asked without the code under test: PostgreSQL's
   * `AT TIME ZONE` and the offset Intl prints (Node's ICU data).
   */
  const readApart = async (zone: string, instant: string) => {
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
    expect(await readApart('Asia/Ho_Chi_Minh', '2026-12-15T12:00:00Z')).toBe(false);
    // when a campaign is launched there, then it is recorded
    expect((await launch('tzd-hcm', 'Asia/Ho_Chi_Minh', '2026-12-01', '2026-12-31')).status).toBe(
      201,
    );
  });

  it('refuses a launch, and an extension, into the days the two read apart', async () => {
    // given Vancouver, whose winter offset the two copies of the tz data may give differently
    const apart = await readApart('America/Vancouver', '2026-12-15T12:00:00Z');
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
    expect(await readApart('America/Vancouver', '2026-07-15T12:00:00Z')).toBe(false);
    expect(
      (await launch('tzd-summer', 'America/Vancouver', '2026-07-01', '2026-07-31')).status,
    ).toBe(201);
    const extended = await kit.send('post', '/campaigns/tzd-summer/extend', operator, {
      endDate: '2026-12-31',
    });
    expect({ apart, status: extended.status }).toEqual({ apart, status: expected });
  });
});
