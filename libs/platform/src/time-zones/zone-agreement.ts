import { IANAZone } from 'luxon';
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;
/** The UTC offset, in minutes, that one reader of the time-zone data gives `zone` at each instant. */
export type OffsetReader = (zone: string, instants: readonly number[]) => Promise<number[]>;

const dayMs = 86_400_000;
const stepMs = 15 * 60_000;

/**
 * A campaign's local times are read twice: by Luxon, with the time-zone data built into Node's ICU
 * (campaign progress, the window citizens of the boards), and by PostgreSQL, with the data it was
 * built with (`AT TIME ZONE`: the members' clipped hours; campaign-time.sql.ts says why both). The
 * two copies of the tz database are released apart, and when a zone's rules change they disagree
 * from the change on: this machine's Node (tz 2025c) and the embedded PostgreSQL 18 read
 * America/Vancouver an hour apart every winter from November 2026, so a campaign there showed 1.5
 * verified hours in its progress and 2 on its leaderboard. The log is immutable, so the zone is
 * checked when a campaign is launched or extended, over its dates: a 422 naming the first instant
 * the two read differently, rather than figures that contradict each other for good. A campaign
 * recorded before either copy was updated is reported by /health (CampaignZonesHealth).
 *
 * Compared once a day (UTC midnight, a day either side of the campaign), and every 15 minutes
 * through each day in which either reader's offset changes: offsets change at most a few times a
 * year, at whole quarter hours, so the longest campaign (366 days) costs some 600 readings a side.
 */
export async function zoneDisagreement(
  zone: string,
  startDate: string,
  endDate: string,
  readers: { database: OffsetReader; server: OffsetReader },
): Promise<string | null> {
  const first = Date.parse(`${startDate}T00:00:00Z`) - dayMs;
  const last = Date.parse(`${endDate}T00:00:00Z`) + 2 * dayMs;
  const days: number[] = [];
  for (let at = first; at <= last; at += dayMs) days.push(at);
  const compared = async (instants: number[]) => {
    const [database, server] = await Promise.all([
      readers.database(zone, instants),
      readers.server(zone, instants),
    ]);
    const i = instants.findIndex((_, k) => database[k] !== server[k]);
    return { database, server, differs: i < 0 ? null : { at: instants[i]!, i } };
  };
  const daily = await compared(days);
  const changing = days
    .slice(0, -1)
    .filter(
      (_, k) =>
        daily.database[k] !== daily.database[k + 1] || daily.server[k] !== daily.server[k + 1],
    );
  const within = changing.flatMap((day) =>
    Array.from({ length: dayMs / stepMs - 1 }, (_, k) => day + (k + 1) * stepMs),
  );
  const refined = within.length > 0 ? await compared(within) : null;
  const found = [daily, refined].flatMap((c) => (c?.differs ? [{ ...c, ...c.differs }] : []));
  if (found.length === 0) return null;
  const { at, i, database, server } = found.reduce((a, b) => (b.at < a.at ? b : a));
  return (
    `PostgreSQL and this server read the time zone ${zone} differently from ` +
    `${new Date(at).toISOString()} (UTC${offset(database[i]!)} against UTC${offset(server[i]!)}): ` +
    `their copies of the tz database differ`
  );
}

const offset = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** PostgreSQL's reading: the local wall time minus the UTC one, at each instant. */
export const databaseOffsets =
  (db: Queryable): OffsetReader =>
  async (zone, instants) => {
    const { rows } = await db.query<{ minutes: number }>(
      `SELECT (extract(epoch FROM (t AT TIME ZONE $1) - (t AT TIME ZONE 'UTC')) / 60)::int AS minutes
         FROM unnest($2::float8[]) WITH ORDINALITY AS i(ms, n), to_timestamp(i.ms / 1000) AS t
        ORDER BY i.n`,
      [zone, instants],
    );
    return rows.map((row) => row.minutes);
  };

/** Luxon's reading, with Node's ICU data, as #domain's campaign calendar reads it. */
export const serverOffsets: OffsetReader = async (zone, instants) => {
  const tz = IANAZone.create(zone);
  return instants.map((ms) => tz.offset(ms));
};
