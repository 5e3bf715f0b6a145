import type { IntegrationMessage } from '../relay/integration-message.js';
import { isInWindow, type CampaignCalendar } from '#domain';

export type CampaignFigures = Readonly<{
  campaignId: string;
  /** Citizens helped inside the campaign's window. */
  citizensAssisted: number;
  /** Shifts started inside the window. */
  volunteerTurns: number;
  /** Citizens helped inside the window, per service type. */
  citizensByServiceType: Readonly<Record<string, number>>;
  /** What happened outside the window: shown apart, never dropped. */
  outOfWindow: Readonly<{ citizensAssisted: number; volunteerTurns: number }>;
}>;

type Assistance = { campaignId: string; serviceType: string; citizens: number; occurredAt: string };
type Shift = { campaignId: string; startedAt: string };

/**
 * Live campaign counters folded from the integration messages of `vc.campaign` and `vc.shift`.
 *
 * Messages of different streams arrive in no particular order (an assistance may come before its
 * campaign's launch), so the facts are kept as they come and the window is applied when figures are
 * read. A message seen twice (the relay delivers at least once) is recognised by its event id.
 */
export class CampaignCounters {
  private readonly seen = new Set<string>();
  private readonly campaigns = new Map<string, CampaignCalendar>();
  private readonly shifts = new Map<string, Shift>();
  private readonly assistances = new Map<string, Assistance>();

  /** Applies one message; false when its event id was already applied (a duplicate) or it is not relevant. */
  apply(message: IntegrationMessage): boolean {
    if (this.seen.has(message.eventId)) return false;
    this.seen.add(message.eventId);
    const data = message.data as Record<string, never>;
    switch (message.type) {
      case 'CampaignLaunched':
        this.campaigns.set(data.campaignId, {
          timezone: data.timezone,
          startDate: data.startDate,
          endDate: data.endDate,
          dailyWindow: data.dailyWindow,
        });
        return true;
      case 'CampaignExtended': {
        const campaign = this.campaigns.get(data.campaignId);
        if (campaign) this.campaigns.set(data.campaignId, { ...campaign, endDate: data.endDate });
        return true;
      }
      case 'ShiftStarted':
        if (data.campaignId) this.shifts.set(data.shiftId, { campaignId: data.campaignId, startedAt: data.startedAt });
        return true;
      case 'ShiftCorrected': {
        // A corrected start moves the turn to the day (and window) it really happened in.
        const shift = this.shifts.get(data.shiftId);
        if (shift && data.startedAt) shift.startedAt = data.startedAt;
        return true;
      }
      case 'CitizenAssisted':
        if (data.campaignId) {
          this.assistances.set(data.assistanceId, {
            campaignId: data.campaignId,
            serviceType: data.serviceType,
            citizens: data.citizens,
            occurredAt: data.occurredAt,
          });
        }
        return true;
      default:
        return false;
    }
  }

  campaignIds(): string[] {
    return [...this.campaigns.keys()];
  }

  /** Null until the campaign's launch has been seen (its window is not known before). */
  figures(campaignId: string): CampaignFigures | null {
    const campaign = this.campaigns.get(campaignId);
    if (!campaign) return null;
    const byService: Record<string, number> = {};
    let citizens = 0;
    let turns = 0;
    const outside = { citizensAssisted: 0, volunteerTurns: 0 };
    for (const assistance of this.assistances.values()) {
      if (assistance.campaignId !== campaignId) continue;
      if (isInWindow(campaign, assistance.occurredAt)) {
        citizens += assistance.citizens;
        byService[assistance.serviceType] = (byService[assistance.serviceType] ?? 0) + assistance.citizens;
      } else {
        outside.citizensAssisted += assistance.citizens;
      }
    }
    for (const shift of this.shifts.values()) {
      if (shift.campaignId !== campaignId) continue;
      if (isInWindow(campaign, shift.startedAt)) turns += 1;
      else outside.volunteerTurns += 1;
    }
    return { campaignId, citizensAssisted: citizens, volunteerTurns: turns, citizensByServiceType: byService, outOfWindow: outside };
  }
}
