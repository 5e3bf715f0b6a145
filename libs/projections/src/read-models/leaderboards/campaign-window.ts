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
 * per zone and quarter hour (offsets only change on quarter hours, see member-buckets.ts) and is then
 * arithmetic: a rebuild tests every assistance event.
 */
export type Window = (ms: number) => boolean;

const formats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** The zone's offset from UTC (ms) at an instant. */
export function offsetAt(zone: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  const key = `${zone}\u0000${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
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
    const at = quarter * QUARTER_MS;
    const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, Number(x.value)]));
    const year = p.year!;
    offset = Date.UTC(year, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
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
