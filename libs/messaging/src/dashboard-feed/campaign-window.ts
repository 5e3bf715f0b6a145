import { DateTime } from 'luxon';

export type CampaignWindow = Readonly<{
  timezone: string;
  startDate: string;
  endDate: string;
  dailyWindow: Readonly<{ from: string; to: string }>;
}>;

/**
 * Whether an instant falls inside a campaign: its local date (in the campaign's zone) between the
 * start and end dates, both inclusive, and its local time in the half-open daily window [from, to).
 */
export function isInCampaignWindow(campaign: CampaignWindow, instant: string): boolean {
  const local = DateTime.fromISO(instant, { setZone: true }).setZone(campaign.timezone);
  if (!local.isValid) return false;
  const date = local.toISODate()!;
  const time = local.toFormat('HH:mm:ss.SSS');
  return (
    date >= campaign.startDate &&
    date <= campaign.endDate &&
    time >= normalise(campaign.dailyWindow.from) &&
    time < normalise(campaign.dailyWindow.to)
  );
}

/** `HH:mm` (or `24:00` for the end of the day) as a sortable `HH:mm:ss.SSS`. */
function normalise(time: string): string {
  return time.length === 5 ? `${time}:00.000` : time;
}
