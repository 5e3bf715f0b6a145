import { DomainRuleViolation } from '../common/errors.js';
import type { LocalDate } from '../common/event.js';
import { isLocalTime, isTimezone, parseLocalDate } from '../common/instant.js';
import { serviceTypes as knownServiceTypes, type ServiceType } from '../shift/service-types.js';
import type { CampaignGoals, DailyWindow } from './campaign.events.js';

export function requireTimezone(timezone: string): string {
  if (!isTimezone(timezone)) {
    throw new DomainRuleViolation(
      'campaign_timezone_invalid',
      `timezone ${JSON.stringify(timezone)} is not an IANA time zone such as Asia/Ho_Chi_Minh`,
    );
  }
  return timezone;
}

/**
 * The longest campaign, in days: a year, leap day included. A campaign's progress shows every day of
 * it (API.md `byDay`), so its length is the size of that answer: a launch from 2000 to 2099, which the
 * dates alone allow, made each read of its progress 2.6 MB and 36,525 days, and a few dashboards on it
 * slowed every command of the API. Longer work is several campaigns, or programmes.
 */
export const maxCampaignDays = 366;

/**
 * Start and end dates are both inclusive, so a one-day campaign has endDate = startDate; at most
 * `maxCampaignDays` from the first to the last (an extension too).
 */
export function requireDateRange(startDate: LocalDate, endDate: LocalDate): void {
  parseLocalDate(startDate, 'startDate');
  parseLocalDate(endDate, 'endDate');
  // YYYY-MM-DD strings order like the dates they name.
  if (endDate < startDate) {
    throw new DomainRuleViolation(
      'campaign_dates_reversed',
      `endDate ${endDate} is before startDate ${startDate}`,
    );
  }
  const days =
    (Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > maxCampaignDays) {
    throw new DomainRuleViolation(
      'campaign_too_long',
      `a campaign lasts at most ${maxCampaignDays} days; ${startDate} to ${endDate} is ${days}`,
    );
  }
}

export function requireDailyWindow(window: DailyWindow): DailyWindow {
  const { from, to } = window ?? ({} as DailyWindow);
  if (!isLocalTime(from) || !isLocalTime(to, true)) {
    throw new DomainRuleViolation(
      'campaign_window_invalid',
      `dailyWindow from and to must be HH:mm times (got ${JSON.stringify(from)} and ${JSON.stringify(to)})`,
    );
  }
  // A window crossing midnight would make a "campaign day" ambiguous: split the campaign instead.
  if (!(from < to)) {
    throw new DomainRuleViolation(
      'campaign_window_reversed',
      `dailyWindow.from ${from} must be earlier than dailyWindow.to ${to}`,
    );
  }
  return { from, to };
}

export function requireGoals(goals: CampaignGoals): CampaignGoals {
  const result: { citizensAssisted?: number; volunteerTurns?: number; verifiedHours?: number } = {};
  for (const key of ['citizensAssisted', 'volunteerTurns', 'verifiedHours'] as const) {
    const value = goals[key];
    if (value === undefined || value === null) continue;
    const whole = key !== 'verifiedHours';
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (whole && !Number.isInteger(value))
    ) {
      throw new DomainRuleViolation(
        'campaign_goal_invalid',
        `goals.${key} must be a ${whole ? 'whole number' : 'number'} ≥ 0 (got ${value})`,
      );
    }
    result[key] = value;
  }
  return result;
}

export function requireServiceTypes(types: readonly ServiceType[]): ServiceType[] {
  const unknown = types.filter((type) => !knownServiceTypes.includes(type));
  if (unknown.length > 0) {
    throw new DomainRuleViolation(
      'service_type_invalid',
      `unknown service types ${unknown.join(', ')}; known: ${knownServiceTypes.join(', ')}`,
    );
  }
  if (types.length === 0) {
    throw new DomainRuleViolation(
      'campaign_service_types_empty',
      'serviceTypes, when given, must name at least one service (leave it out to count every service)',
    );
  }
  return [...new Set(types)];
}
