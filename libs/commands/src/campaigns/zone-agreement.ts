import type pg from 'pg';
import { DomainRuleViolation, type CampaignEvent, type CampaignState } from '#domain';
import { databaseOffsets, serverOffsets, zoneDisagreement } from '#platform';

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Refuses a launch or an extension whose zone the database and this server read differently over
 * the campaign's dates (`zoneDisagreement`): 422 `timezone_data_disagree`. Other events pass.
 */
export async function requireZoneReadAlike(
  db: Queryable,
  events: readonly CampaignEvent[],
  state: CampaignState,
): Promise<void> {
  for (const event of events) {
    const span =
      event.type === 'CampaignLaunched'
        ? event.data
        : event.type === 'CampaignExtended' && state
          ? { ...state, endDate: event.data.endDate }
          : null;
    if (!span) continue;
    const problem = await zoneDisagreement(span.timezone, span.startDate, span.endDate, {
      database: databaseOffsets(db),
      server: serverOffsets,
    });
    if (problem)
      throw new DomainRuleViolation(
        'timezone_data_disagree',
        `${problem}, and the campaign's progress and its leaderboards would count its hours in ` +
          'different windows. Choose dates before then, or update the one whose data is older',
      );
  }
}
