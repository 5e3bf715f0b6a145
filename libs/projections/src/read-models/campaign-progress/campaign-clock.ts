import { addDays, localDateOfMillis, windowOn, type CampaignCalendar } from '#domain';

const hourMs = 3_600_000;
const bound = 200_000;

/** Per zone and UTC hour: the local date every instant of the hour falls on, or null when a date begins inside it. */
const hourDates = new Map<string, Map<number, string | null>>();
const nextDays = new Map<string, string>();

/**
 * #domain's calendar answers for one campaign, memoised: the projection asks for the local date and
 * the daily window of every assistance and shift it folds, and luxon's answers cost microseconds
 * each. A local date is remembered per zone and UTC hour when both ends of the hour fall on the same
 * date (dates only move forward with time, so every instant between does too); an hour in which a
 * date begins is answered exactly each time. These are pure answers, like #domain's own memo: nothing
 * here adds offsets by hand, and nothing depends on what the projection has seen.
 */
export class CampaignClock {
  private readonly dates: Map<number, string | null>;
  private readonly windows = new Map<string, { start: number; end: number }>();

  constructor(readonly calendar: CampaignCalendar) {
    let dates = hourDates.get(calendar.timezone);
    if (!dates) hourDates.set(calendar.timezone, (dates = new Map()));
    this.dates = dates;
  }

  localDate(millis: number): string {
    const hour = Math.floor(millis / hourMs);
    let date = this.dates.get(hour);
    if (date === undefined) {
      const first = this.exactDate(hour * hourMs);
      const last = this.exactDate(hour * hourMs + hourMs - 1);
      date = first === last ? first : null;
      if (this.dates.size > bound) this.dates.clear();
      this.dates.set(hour, date);
    }
    return date ?? this.exactDate(millis);
  }

  /** The daily window of `date` as epoch milliseconds `[start, end)`. */
  window(date: string): { start: number; end: number } {
    let window = this.windows.get(date);
    if (!window) this.windows.set(date, (window = this.exactWindow(date)));
    return window;
  }

  /**
   * #domain reads the local date of any instant whose UTC date's neighbours it can compute (so the
   * first hours of 2000-01-01 east of UTC fall on 2000-01-01). Should it still refuse one, no
   * campaign has such a date (campaign dates are clamped inside), so the UTC date stands in.
   */
  private exactDate(millis: number): string {
    try {
      return localDateOfMillis(millis, this.calendar.timezone);
    } catch {
      return new Date(millis).toISOString().slice(0, 10);
    }
  }

  /** A date outside the domain's years has an empty window: nothing there counts. */
  private exactWindow(date: string): { start: number; end: number } {
    try {
      return windowOn(this.calendar, date);
    } catch {
      return { start: Infinity, end: -Infinity };
    }
  }

  /** Whether `millis`, on local `date`, lies inside that date's daily window (dates not checked). */
  inDaily(millis: number, date: string): boolean {
    const window = this.window(date);
    return window.start <= millis && millis < window.end;
  }

  inDates(date: string): boolean {
    return date >= this.calendar.startDate && date <= this.calendar.endDate;
  }
}

/** The day after `date` (#domain addDays, remembered). */
export function nextDay(date: string): string {
  let next = nextDays.get(date);
  if (next === undefined) {
    if (nextDays.size > bound) nextDays.clear();
    nextDays.set(date, (next = addDays(date, 1)));
  }
  return next;
}
