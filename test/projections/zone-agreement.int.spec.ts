import pg from 'pg';
import { DateTime, IANAZone } from 'luxon';
import { storedTimezone, timezoneProblem } from '#domain';
import { createTestDatabase } from '../harness/database.js';

// A campaign's zone is read twice: by Luxon where the progress counters are kept (JS), and by
// PostgreSQL's AT TIME ZONE where the member boards clip hours to the daily window (SQL). The two must
// give every accepted zone the same offset, or the same shift counts differently on the two boards.
describe('a zone the gate accepts is read alike by Luxon and PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('zone_agreement');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  // Mid-winter and mid-summer of a year both zone databases agree on.
  const instants = ['2025-01-15T12:00:00Z', '2025-07-15T12:00:00Z'];

  /** PostgreSQL's offset of `zone` at each instant, in minutes. */
  async function postgresOffsets(zone: string): Promise<number[]> {
    const { rows } = await client.query<{ minutes: string }>(
      `SELECT extract(epoch FROM (t AT TIME ZONE $1) - (t AT TIME ZONE 'UTC')) / 60 AS minutes
         FROM unnest($2::timestamptz[]) AS t`,
      [zone, instants],
    );
    return rows.map((row) => Number(row.minutes));
  }
  const luxonOffsets = (zone: string) =>
    instants.map((instant) => DateTime.fromISO(instant, { zone }).offset);

  it.each([
    'Asia/Ho_Chi_Minh',
    'asia/ho_chi_minh',
    'Europe/Berlin',
    'America/New_York',
    'America/Havana',
    'Australia/Sydney',
    'UTC',
    'GMT',
    'EST',
    'MST',
    'HST',
    'EST5EDT',
    'Etc/GMT+7',
    'Zulu',
    'UCT',
    'PRC',
    'ROK',
    'NZ',
    'Eire',
    'Israel',
    'Singapore',
    'W-SU',
  ])('%s: the same offsets in winter and summer', async (zone) => {
    // given a zone the gate accepts
    expect(timezoneProblem(zone)).toBeNull();
    // when both read it, then they agree
    expect(await postgresOffsets(zone)).toEqual(luxonOffsets(zone));
  });

  it.each(['CET', 'cet', 'EET', 'MET', 'WET'])(
    '%s: refused at the gate, and read as a place when stored',
    async (zone) => {
      // given a zone name that PostgreSQL takes for a fixed-offset abbreviation
      const [winter, summer] = await postgresOffsets(zone);
      expect(summer).toBe(winter);
      expect(luxonOffsets(zone)[1]).not.toBe(luxonOffsets(zone)[0]);
      // when the gate sees it, then it asks for a place
      expect(timezoneProblem(zone)).toMatch(/must name a place, e\.g\. Europe\//);
      // and when an older event holds it, both read the place it stands for, with its summer time
      const place = storedTimezone(zone);
      expect(place).toMatch(/^Europe\//);
      expect(await postgresOffsets(place)).toEqual(luxonOffsets(zone));
    },
  );

  it.each(['VST', 'vst', 'IST', 'PST', 'CTT', 'US/Pacific-New'])(
    '%s: ICU’s own name, refused at the gate, and read as its place on both sides when stored',
    async (zone) => {
      // given a name Luxon accepts only because ICU has it (VST is Asia/Saigon to ICU)
      expect(IANAZone.isValidZone(zone)).toBe(true);
      // when the gate sees it, then it asks for a place of the tz database
      expect(timezoneProblem(zone)).toMatch(/must name a place, e\.g\. [A-Z][a-z]+\//);
      // and when an older event holds it, PostgreSQL reads the stored zone as Luxon read the name
      const place = storedTimezone(zone);
      expect(place).toContain('/');
      expect(await postgresOffsets(place)).toEqual(luxonOffsets(zone));
    },
  );

  it('SystemV/AST4: ICU’s own zone without a place, refused, stored as the default zone', async () => {
    // given a zone only ICU knows, whose canonical name is ICU's own as well
    expect(IANAZone.isValidZone('SystemV/AST4')).toBe(true);
    // when the gate sees it, then it is refused; when stored, SQL can read what it becomes
    expect(timezoneProblem('SystemV/AST4')).toMatch(/must be an IANA time zone/);
    expect(storedTimezone('SystemV/AST4')).toBe('Asia/Ho_Chi_Minh');
    expect(await postgresOffsets(storedTimezone('SystemV/AST4'))).toEqual([420, 420]);
  });
});
