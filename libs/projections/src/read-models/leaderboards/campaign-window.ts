import { storedCalendar } from '#domain';
import { CampaignClock } from '../campaign-progress/campaign-clock.js';

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
 * "Inside the campaign's window" for an instant, in JavaScript, for the write path (member-totals'
 * window citizens): #domain's rule (time-window.ts `windowOn`, whose SQL twin is campaign-time.sql.ts)
 * through the memoised CampaignClock that campaign progress uses, so the boards and the progress
 * counters count the same assistance, on DST days too, without a round trip per assistance.
 */
export type Window = (ms: number) => boolean;

/** The window test of one campaign row. */
export function windowOf(row: CalendarRow): Window {
  const clock = new CampaignClock(
    storedCalendar({
      timezone: row.timezone,
      startDate: row.start_date,
      endDate: row.end_date,
      dailyWindow: { from: row.window_from.slice(0, 5), to: row.window_to.slice(0, 5) },
    }),
  );
  return (ms) => {
    const date = clock.localDate(ms);
    return clock.inDates(date) && clock.inDaily(ms, date);
  };
}
