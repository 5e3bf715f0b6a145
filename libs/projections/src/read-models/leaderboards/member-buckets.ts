/**
 * The time buckets member figures are kept in, and how a period becomes a handful of them.
 *
 * A period's ends are instants, or dates resolved in any zone (`tz=`, period.ts). Every UTC offset a
 * real zone uses today is a whole number of quarter hours (Nepal +05:45, Chatham +12:45, India +05:30),
 * and every daylight-saving change happens at a quarter hour, so every local midnight of every zone
 * falls on a 15-minute UTC boundary: with 15-minute UTC buckets a date period is always a sum of whole
 * buckets, whatever its zone. A day-long period would still read 96 buckets per member, so whole days
 * are kept too (grain `d`), and they are the days of the read zone dates default to (API.md:
 * Asia/Ho_Chi_Minh, +07:00 without daylight saving since 1975; a unit test checks every midnight of
 * 2000–2099): a dashboard's week is then seven day rows per member and not one quarter, where UTC
 * days left 17 hours of quarters at one end. A period is the quarters up to the first such midnight,
 * whole days, then the quarters after the last one (at most 2 × 95 quarter rows and one row per day,
 * per member); dates in another zone or instants off those midnights read their ends in quarters.
 * Grain `t` is the member's total, for boards without a period.
 *
 * An instant end inside a quarter (10:07) leaves an edge: that piece reads the facts of that quarter
 * only (indexed by time), never the history. So do historical local-mean-time offsets (+07:06:40),
 * which are not quarter-aligned.
 */
export const QUARTER_MS = 15 * 60_000;
export const DAY_MS = 24 * 3_600_000;
/** The offset of the read zone's days (Asia/Ho_Chi_Minh): a day bucket starts at 17:00 UTC. */
export const DAY_OFFSET_MS = 7 * 3_600_000;

/** The start of the day bucket holding an instant (epoch ms). */
export const dayOf = (ms: number) =>
  Math.floor((ms + DAY_OFFSET_MS) / DAY_MS) * DAY_MS - DAY_OFFSET_MS;

/** Bucket starts in [from, to) of one grain; null ends are open. */
export type BucketRange = { grain: 'q' | 'd'; from: number | null; to: number | null };
/** An instant range [from, to) read from the facts: inside one or two quarters. */
export type Edge = { from: number; to: number };

/**
 * Splits [from, to) (epoch ms, undefined = open) into whole-bucket ranges and at most two edges.
 */
export function periodPieces(
  from: number | undefined,
  to: number | undefined,
): { ranges: BucketRange[]; edges: Edge[] } {
  const up = (ms: number, size: number) => Math.ceil(ms / size) * size;
  const down = (ms: number, size: number) => Math.floor(ms / size) * size;
  const qFrom = from === undefined ? null : up(from, QUARTER_MS);
  const qTo = to === undefined ? null : down(to, QUARTER_MS);
  if (qFrom !== null && qTo !== null && qFrom >= qTo) {
    // no whole quarter: the period lies within two quarters at most, read from the facts
    return { ranges: [], edges: from! < to! ? [{ from: from!, to: to! }] : [] };
  }
  const edges: Edge[] = [];
  if (from !== undefined && from < qFrom!) edges.push({ from, to: qFrom! });
  if (to !== undefined && qTo! < to) edges.push({ from: qTo!, to });
  const dTo = qTo === null ? null : dayOf(qTo);
  const dFrom = qFrom === null ? null : qFrom === dayOf(qFrom) ? qFrom : dayOf(qFrom) + DAY_MS;
  if (dFrom !== null && dTo !== null && dFrom >= dTo)
    return { ranges: [{ grain: 'q', from: qFrom, to: qTo }], edges };
  const ranges: BucketRange[] = [{ grain: 'd', from: dFrom, to: dTo }];
  if (qFrom !== null && qFrom < dFrom!) ranges.push({ grain: 'q', from: qFrom, to: dFrom });
  if (qTo !== null && dTo! < qTo) ranges.push({ grain: 'q', from: dTo, to: qTo });
  return { ranges, edges };
}
