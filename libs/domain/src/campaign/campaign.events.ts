import type { Event, LocalDate, LocalTime } from '../common/event.js';
import type { ServiceType } from '../shift/service-types.js';

export type DailyWindow = Readonly<{ from: LocalTime; to: LocalTime }>;
export type CampaignGoals = Readonly<{
  citizensAssisted?: number;
  volunteerTurns?: number;
  verifiedHours?: number;
}>;

export type CampaignLaunched = Event<
  'CampaignLaunched',
  {
    campaignId: string;
    unitId: string;
    name: string;
    /** IANA zone the dates and the daily window are read in. */
    timezone: string;
    startDate: LocalDate;
    endDate: LocalDate;
    dailyWindow: DailyWindow;
    goals: CampaignGoals;
    serviceTypes: ServiceType[] | null;
  }
>;
export type CampaignExtended = Event<
  'CampaignExtended',
  { campaignId: string; endDate: LocalDate }
>;
export type CampaignClosed = Event<'CampaignClosed', { campaignId: string }>;

export type CampaignEvent = CampaignLaunched | CampaignExtended | CampaignClosed;

export const campaignStreamId = (campaignId: string): string => `campaign-${campaignId}`;
export { defaultTimezone } from '../common/values.js';
