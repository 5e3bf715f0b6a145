import { DAY_MS, QUARTER_MS } from './member-buckets.js';

/** A campaigns row as text, as PostgreSQL prints it (dates `YYYY-MM-DD`, times `HH:MM:SS`, `24:00:00`). */
export type CalendarRow = {
  campaign_id: string;
  timezone: string;
  start_date: string;
  end_date: string;
  window_from: string;
  window_to: string;
};

/**
 * "Inside the campaign's window" for an instant, in JavaScript, for the write path: the rule of
 * campaign-time.sql.ts (`inWindowLocal`: local date within the campaign's dates, local time in the
 * half-open daily window) without a round trip per assistance. The zone's offset comes from Intl once
 * per zone and day (or quarter hour on a day it changes: offsets only change on quarter hours, see
 * member-buckets.ts) and is then arithmetic: a rebuild tests every assistance event.
 */
export type Window = (ms: number) => boolean;

const formats = new Map<string, Intl.DateTimeFormat>();
const byDay = new Map<string, Map<number, number | null>>();
const byQuarter = new Map<string, Map<number, number>>();

function intlOffset(zone: string, at: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
}

const cached = <V>(maps: Map<string, Map<number, V>>, zone: string) => {
  let map = maps.get(zone);
  if (!map || map.size > 100_000) maps.set(zone, (map = new Map()));
  return map;
};

/**
 * The zone's offset from UTC (ms) at an instant: per UTC day when the offset is the same at both
 * ends of it (no day holds two changes), else per quarter hour.
 */
export function offsetAt(zone: string, ms: number): number {
  const days = cached(byDay, zone);
  const day = Math.floor(ms / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = intlOffset(zone, day * DAY_MS);
    offset = first === intlOffset(zone, (day + 1) * DAY_MS - QUARTER_MS) ? first : null;
    days.set(day, offset);
  }
  if (offset !== null) return offset;
  const quarters = cached(byQuarter, zone);
  const quarter = Math.floor(ms / QUARTER_MS);
  let inQuarter = quarters.get(quarter);
  if (inQuarter === undefined)
    quarters.set(quarter, (inQuarter = intlOffset(zone, quarter * QUARTER_MS)));
  return inQuarter;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const timeMs = (time: string) => {
  const [h, m, s] = time.split(':').map(Number);
  return ((h! * 60 + m!) * 60 + s!) * 1000;
};

/** The window test of one campaign row. */
export function windowOf(row: CalendarRow): Window {
  const first = dayNumber(row.start_date);
  const last = dayNumber(row.end_date);
  const from = timeMs(row.window_from);
  const to = timeMs(row.window_to);
  return (ms) => {
    const local = ms + offsetAt(row.timezone, ms);
    const day = Math.floor(local / DAY_MS);
    const time = local - day * DAY_MS;
    return day >= first && day <= last && time >= from && time < to;
  };
}
