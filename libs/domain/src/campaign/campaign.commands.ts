import type { LocalDate } from '../common/event.js';
import type { ServiceType } from '../shift/service-types.js';
import type { CampaignGoals, DailyWindow } from './campaign.events.js';

export type LaunchCampaign = Readonly<{
  type: 'LaunchCampaign';
  data: Readonly<{
    campaignId: string;
    unitId: string;
    name: string;
    startDate: LocalDate;
    endDate: LocalDate;
    /** Half-open `[from, to)`, `HH:mm`, read in `timezone`; `to` may be `24:00`. */
    dailyWindow: DailyWindow;
    /** IANA zone; default `Asia/Ho_Chi_Minh`. */
    timezone?: string | null;
    goals?: CampaignGoals | null;
    /** The services this campaign counts; absent or null: any. */
    serviceTypes?: ServiceType[] | null;
  }>;
}>;
export type ExtendCampaign = Readonly<{
  type: 'ExtendCampaign';
  data: Readonly<{ campaignId: string; endDate: LocalDate }>;
}>;
export type CloseCampaign = Readonly<{
  type: 'CloseCampaign';
  data: Readonly<{ campaignId: string }>;
}>;

export type CampaignCommand = LaunchCampaign | ExtendCampaign | CloseCampaign;
