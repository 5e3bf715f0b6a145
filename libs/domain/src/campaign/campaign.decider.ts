import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CommandContext, LocalDate } from '../common/event.js';
import { parseLocalDate } from '../common/instant.js';
import { requireText } from '../common/rules.js';
import type { ServiceType } from '../shift/service-types.js';
import type { CampaignCommand } from './campaign.commands.js';
import {
  defaultTimezone,
  type CampaignEvent,
  type CampaignGoals,
  type DailyWindow,
} from './campaign.events.js';
import {
  requireDailyWindow,
  requireDateRange,
  requireGoals,
  requireServiceTypes,
  requireTimezone,
} from './campaign-rules.js';

/** The answer to a command on a campaign nobody launched (or a shift or assistance in one). */
export const campaignNotFound = (campaignId: string) =>
  new NotFound('campaign_not_found', `campaign ${campaignId} does not exist`);

export type CampaignState = Readonly<{
  campaignId: string;
  unitId: string;
  name: string;
  timezone: string;
  startDate: LocalDate;
  endDate: LocalDate;
  dailyWindow: DailyWindow;
  goals: CampaignGoals;
  serviceTypes: ServiceType[] | null;
  closed: boolean;
}> | null;

export type CampaignContext = CommandContext &
  Readonly<{
    /** LaunchCampaign: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
  }>;

export const initialCampaignState: CampaignState = null;

export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignLaunched':
      return { ...event.data, closed: false };
    case 'CampaignExtended':
      return state && { ...state, endDate: event.data.endDate };
    case 'CampaignClosed':
      return state && { ...state, closed: true };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideCampaign(
  command: CampaignCommand,
  state: CampaignState,
  context: CampaignContext,
): CampaignEvent[] {
  switch (command.type) {
    case 'LaunchCampaign': {
      const { campaignId, unitId, startDate, endDate } = command.data;
      if (state)
        throw new Conflict('campaign_already_launched', `campaign ${campaignId} already exists`);
      if (!context.unitExists)
        throw new NotFound('unit_not_found', `unit ${unitId} does not exist`);
      const name = requireText(command.data.name, 'name');
      const timezone = requireTimezone(command.data.timezone ?? defaultTimezone);
      requireDateRange(startDate, endDate);
      const dailyWindow = requireDailyWindow(command.data.dailyWindow);
      const goals = requireGoals(command.data.goals ?? {});
      const serviceTypes = command.data.serviceTypes
        ? requireServiceTypes(command.data.serviceTypes)
        : null;
      return [
        {
          type: 'CampaignLaunched',
          data: {
            campaignId,
            unitId,
            name,
            timezone,
            startDate,
            endDate,
            dailyWindow,
            goals,
            serviceTypes,
          },
        },
      ];
    }
    case 'ExtendCampaign': {
      const campaign = requireOpenCampaign(state, command.data.campaignId);
      const endDate = parseLocalDate(command.data.endDate, 'endDate');
      if (endDate <= campaign.endDate) {
        throw new DomainRuleViolation(
          'campaign_extension_not_later',
          `an extension must move the end date later than ${campaign.endDate} (got ${endDate})`,
        );
      }
      requireDateRange(campaign.startDate, endDate);
      return [{ type: 'CampaignExtended', data: { campaignId: campaign.campaignId, endDate } }];
    }
    case 'CloseCampaign': {
      const campaign = requireOpenCampaign(state, command.data.campaignId);
      return [{ type: 'CampaignClosed', data: { campaignId: campaign.campaignId } }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function requireOpenCampaign(state: CampaignState, campaignId: string): NonNullable<CampaignState> {
  if (!state) throw campaignNotFound(campaignId);
  if (state.closed)
    throw new Conflict('campaign_closed', `campaign ${campaignId} is already closed`);
  return state;
}

export const campaignDecider: Decider<
  CampaignCommand,
  CampaignEvent,
  CampaignState,
  CampaignContext
> = {
  decide: decideCampaign,
  evolve: evolveCampaign,
  initialState: initialCampaignState,
};
