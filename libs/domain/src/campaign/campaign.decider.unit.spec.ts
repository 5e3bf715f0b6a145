import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { CloseCampaign, ExtendCampaign, LaunchCampaign } from './campaign.commands.js';
import { campaignDecider } from './campaign.decider.js';
import type { CampaignClosed, CampaignLaunched } from './campaign.events.js';

const campaign = deciderSpec(campaignDecider, { ...coordinator, unitExists: true });
const launch = (data: Partial<LaunchCampaign['data']> = {}): LaunchCampaign => ({
  type: 'LaunchCampaign',
  data: {
    campaignId: 'card-drive',
    unitId: 'ward-3',
    name: 'Party-card replacement',
    startDate: '2025-08-09',
    endDate: '2025-08-15',
    dailyWindow: { from: '07:00', to: '22:00' },
    ...data,
  },
});
const launched: CampaignLaunched = {
  type: 'CampaignLaunched',
  data: {
    campaignId: 'card-drive',
    unitId: 'ward-3',
    name: 'Party-card replacement',
    timezone: 'Asia/Ho_Chi_Minh',
    startDate: '2025-08-09',
    endDate: '2025-08-15',
    dailyWindow: { from: '07:00', to: '22:00' },
    goals: {},
    serviceTypes: null,
  },
};
const extend = (endDate: string): ExtendCampaign => ({
  type: 'ExtendCampaign',
  data: { campaignId: 'card-drive', endDate },
});
const close: CloseCampaign = { type: 'CloseCampaign', data: { campaignId: 'card-drive' } };
const closed: CampaignClosed = { type: 'CampaignClosed', data: { campaignId: 'card-drive' } };

describe('launching a campaign', () => {
  it('records CampaignLaunched in Asia/Ho_Chi_Minh unless told otherwise', () => {
    campaign.given([]).when(launch()).then([launched]);
  });

  it('keeps a given zone, goals and service types', () => {
    const data = {
      timezone: 'Europe/Berlin',
      goals: { citizensAssisted: 7000, verifiedHours: 1.5 },
      serviceTypes: ['party_card_replacement' as const],
    };
    campaign
      .given([])
      .when(launch(data))
      .then([{ ...launched, data: { ...launched.data, ...data } }]);
  });

  it('accepts a one-day campaign and a window reaching midnight', () => {
    const data = { endDate: '2025-08-09', dailyWindow: { from: '00:00', to: '24:00' } };
    campaign
      .given([])
      .when(launch(data))
      .then([{ ...launched, data: { ...launched.data, ...data } }]);
  });

  it('refuses an end date before the start date, and dates that do not exist', () => {
    campaign
      .given([])
      .when(launch({ endDate: '2025-08-08' }))
      .thenThrows(DomainRuleViolation, 'campaign_dates_reversed');
    campaign
      .given([])
      .when(launch({ endDate: '2025-02-30' }))
      .thenThrows(DomainRuleViolation, 'invalid_date');
  });

  it('refuses dates outside the years 2000–2099 (values.ts), whose day loops never end', () => {
    for (const data of [
      { startDate: '9999-12-01', endDate: '9999-12-31' },
      { startDate: '0000-01-01' },
      { endDate: '2100-01-01' },
    ]) {
      campaign.given([]).when(launch(data)).thenThrows(DomainRuleViolation, 'invalid_date');
    }
    campaign
      .given([launched])
      .when(extend('9999-12-31'))
      .thenThrows(DomainRuleViolation, 'invalid_date');
  });

  it('refuses a name that is not valid Unicode', () => {
    campaign
      .given([])
      .when(launch({ name: 'Đổi thẻ \uD800' }))
      .thenThrows(DomainRuleViolation, 'name_invalid');
  });

  it('refuses a daily window that does not run forwards, or is not HH:mm', () => {
    campaign
      .given([])
      .when(launch({ dailyWindow: { from: '22:00', to: '07:00' } }))
      .thenThrows(DomainRuleViolation, 'campaign_window_reversed');
    campaign
      .given([])
      .when(launch({ dailyWindow: { from: '07:00', to: '07:00' } }))
      .thenThrows(DomainRuleViolation, 'campaign_window_reversed');
    campaign
      .given([])
      .when(launch({ dailyWindow: { from: '7:00', to: '22:00' } }))
      .thenThrows(DomainRuleViolation, 'campaign_window_invalid');
    campaign
      .given([])
      .when(launch({ dailyWindow: { from: '24:00', to: '24:00' } }))
      .thenThrows(DomainRuleViolation, 'campaign_window_invalid');
  });

  it('refuses a time zone that is not IANA', () => {
    campaign
      .given([])
      .when(launch({ timezone: 'GMT+7 Hanoi' }))
      .thenThrows(DomainRuleViolation, 'campaign_timezone_invalid');
  });

  it('refuses negative goals and fractional counts', () => {
    campaign
      .given([])
      .when(launch({ goals: { citizensAssisted: -1 } }))
      .thenThrows(DomainRuleViolation, 'campaign_goal_invalid');
    campaign
      .given([])
      .when(launch({ goals: { volunteerTurns: 1.5 } }))
      .thenThrows(DomainRuleViolation, 'campaign_goal_invalid');
  });

  it('refuses unknown or empty service types', () => {
    campaign
      .given([])
      .when(launch({ serviceTypes: ['haircut' as never] }))
      .thenThrows(DomainRuleViolation, 'service_type_invalid');
    campaign
      .given([])
      .when(launch({ serviceTypes: [] }))
      .thenThrows(DomainRuleViolation, 'campaign_service_types_empty');
  });

  it('refuses an unknown unit, a blank name and an id already used', () => {
    campaign.given([]).when(launch(), { unitExists: false }).thenThrows(NotFound, 'unit_not_found');
    campaign
      .given([])
      .when(launch({ name: ' ' }))
      .thenThrows(DomainRuleViolation, 'name_required');
    campaign.given([launched]).when(launch()).thenThrows(Conflict, 'campaign_already_launched');
  });
});

describe('extending a campaign', () => {
  it('records CampaignExtended to a later end date', () => {
    campaign
      .given([launched])
      .when(extend('2025-08-20'))
      .then([
        { type: 'CampaignExtended', data: { campaignId: 'card-drive', endDate: '2025-08-20' } },
      ]);
  });

  it('refuses a campaign of more than a year, launched or extended so', () => {
    // the card drive starts on 2025-08-09: 366 days end on 2026-08-09 (2026 has no leap day)
    campaign
      .given([])
      .when(launch({ endDate: '2026-08-09' }))
      .then([{ ...launched, data: { ...launched.data, endDate: '2026-08-09' } }]);
    campaign
      .given([])
      .when(launch({ endDate: '2026-08-10' }))
      .thenThrows(DomainRuleViolation, 'campaign_too_long');
    campaign
      .given([])
      .when(launch({ startDate: '2000-01-01', endDate: '2099-12-31' }))
      .thenThrows(DomainRuleViolation, 'campaign_too_long');
    campaign
      .given([launched])
      .when(extend('2026-08-10'))
      .thenThrows(DomainRuleViolation, 'campaign_too_long');
  });

  it('refuses the same or an earlier end date', () => {
    campaign
      .given([launched])
      .when(extend('2025-08-15'))
      .thenThrows(DomainRuleViolation, 'campaign_extension_not_later');
    campaign
      .given([launched])
      .when(extend('2025-08-12'))
      .thenThrows(DomainRuleViolation, 'campaign_extension_not_later');
  });

  it('compares with the latest extension', () => {
    const extended = {
      type: 'CampaignExtended' as const,
      data: { campaignId: 'card-drive', endDate: '2025-08-20' },
    };
    campaign
      .given([launched, extended])
      .when(extend('2025-08-18'))
      .thenThrows(DomainRuleViolation, 'campaign_extension_not_later');
  });

  it('refuses a closed campaign (409) and an unknown one (404)', () => {
    campaign
      .given([launched, closed])
      .when(extend('2025-08-20'))
      .thenThrows(Conflict, 'campaign_closed');
    campaign.given([]).when(extend('2025-08-20')).thenThrows(NotFound, 'campaign_not_found');
  });
});

describe('closing a campaign', () => {
  it('records CampaignClosed once', () => {
    campaign.given([launched]).when(close).then([closed]);
    campaign.given([launched, closed]).when(close).thenThrows(Conflict, 'campaign_closed');
  });

  it('refuses an unknown campaign', () => {
    campaign.given([]).when(close).thenThrows(NotFound, 'campaign_not_found');
  });
});
