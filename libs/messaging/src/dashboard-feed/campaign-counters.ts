import type { IntegrationMessage } from '../relay/integration-message.js';
import {
  counts,
  domainEvent,
  isInWindow,
  lifecycleAfter,
  storedCalendar,
  storedCount,
  storedInstant,
  readableEvent,
  type CampaignCalendar,
} from '#domain';

export type CampaignFigures = Readonly<{
  campaignId: string;
  /** Citizens helped inside the campaign's window. */
  citizensAssisted: number;
  /** Shifts started inside the window. */
  volunteerTurns: number;
  /** Citizens helped inside the window, per service type. */
  citizensByServiceType: Readonly<Record<string, number>>;
  /** What happened outside the window: shown apart, never dropped. */
  outOfWindow: Readonly<{ assistanceEvents: number; citizensAssisted: number; shifts: number }>;
}>;

type Assistance = {
  shiftId: string;
  campaignId: string;
  serviceType: string;
  citizens: number;
  occurredAt: string;
};
type Shift = { campaignId: string | null; startedAt: string; rejected: boolean };

/**
 * Live campaign counters folded from the integration messages of `vc.campaign` and `vc.shift`.
 *
 * Messages of different streams arrive in no particular order (an assistance may come before its
 * campaign's launch), so the facts are kept as they come and the window is applied when figures are
 * read. A message seen twice (the relay delivers at least once) is recognised by its event id.
 * The rules are those of the campaign progress read model: a rejected shift counts for nothing (no
 * turn, no assistance) until a correction sends it back to verification; a corrected start moves the
 * turn to when it really happened.
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
    // a message published before its type's latest version is read in the current shape; one whose
    // data is withheld or lacks its key (#domain readableEvent) is passed over
    const readable = readableEvent(message);
    const event = readable && domainEvent(readable);
    switch (event?.type) {
      case 'CampaignLaunched': {
        // values an older gate let in are clamped (#domain storedCalendar), never thrown on
        this.campaigns.set(event.data.campaignId, storedCalendar(event.data));
        return true;
      }
      case 'CampaignExtended': {
        const data = event.data;
        const campaign = this.campaigns.get(data.campaignId);
        if (campaign)
          this.campaigns.set(
            data.campaignId,
            storedCalendar({ ...campaign, endDate: data.endDate }),
          );
        return true;
      }
      case 'ShiftStarted': {
        const data = event.data;
        const startedAt = storedInstant(data.startedAt);
        if (startedAt === null) return false; // no reader can place it: no turn to count
        this.shifts.set(data.shiftId, {
          campaignId: data.campaignId ?? null,
          startedAt,
          rejected: !counts(lifecycleAfter(event.type, false)).citizens,
        });
        return true;
      }
      case 'ShiftCorrected': {
        const data = event.data;
        const shift = this.shifts.get(data.shiftId);
        if (shift)
          this.shifts.set(data.shiftId, {
            ...shift,
            startedAt: storedInstant(data.startedAt) ?? shift.startedAt,
            rejected: !counts(lifecycleAfter(event.type, true)).citizens,
          });
        return true;
      }
      case 'ShiftRejected':
      case 'ShiftVerified': {
        const shift = this.shifts.get(event.data.shiftId);
        if (shift)
          this.shifts.set(event.data.shiftId, {
            ...shift,
            rejected: !counts(lifecycleAfter(event.type, true)).citizens,
          });
        return true;
      }
      case 'CitizenAssisted': {
        const data = event.data;
        const occurredAt = storedInstant(data.occurredAt);
        if (data.campaignId && occurredAt !== null) {
          this.assistances.set(data.assistanceId, {
            shiftId: data.shiftId,
            campaignId: data.campaignId,
            serviceType: data.serviceType,
            citizens: storedCount(data.citizens, 1),
            occurredAt,
          });
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** Distinct events seen (any type), duplicates excluded. */
  get distinctEvents(): number {
    return this.seen.size;
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
    const outside = { assistanceEvents: 0, citizensAssisted: 0, shifts: 0 };
    for (const assistance of this.assistances.values()) {
      // Same key as its shift, so the shift's own events always came first.
      const shift = this.shifts.get(assistance.shiftId);
      if (assistance.campaignId !== campaignId || !shift || shift.rejected) continue;
      if (isInWindow(campaign, assistance.occurredAt)) {
        citizens += assistance.citizens;
        byService[assistance.serviceType] =
          (byService[assistance.serviceType] ?? 0) + assistance.citizens;
      } else {
        outside.assistanceEvents += 1;
        outside.citizensAssisted += assistance.citizens;
      }
    }
    for (const shift of this.shifts.values()) {
      if (shift.campaignId !== campaignId || shift.rejected) continue;
      if (isInWindow(campaign, shift.startedAt)) turns += 1;
      else outside.shifts += 1;
    }
    return {
      campaignId,
      citizensAssisted: citizens,
      volunteerTurns: turns,
      citizensByServiceType: byService,
      outOfWindow: outside,
    };
  }
}
