import { campaignNotFound, type CampaignState } from '../campaign/campaign.decider.js';
import { DomainRuleViolation } from '../common/errors.js';
import type { CommandContext, Instant } from '../common/event.js';
import { instantMillis } from '../common/instant.js';

export const defaultMaxShiftHours = 16;
const hourMs = 3_600_000;

/** Where one of the member's shifts lies in time; `endedAt: null` while it is open. */
export type ShiftSpan = Readonly<{ shiftId: string; startedAt: Instant; endedAt: Instant | null }>;

/** What a shift rule needs to know about the shift's campaign. */
export type ShiftCampaignFacts = Pick<
  NonNullable<CampaignState>,
  'unitId' | 'startDate' | 'endDate' | 'timezone' | 'dailyWindow' | 'closed' | 'serviceTypes'
>;

export type ShiftContext = CommandContext &
  Readonly<{
    /**
     * The member's shifts, whatever their status (the shift being decided may be included; it is
     * skipped). Needed by StartShift, EndShift and CorrectShift for the overlap rule.
     */
    memberShifts: readonly ShiftSpan[];
    /** StartShift: whether the command's memberId names an enrolled member. */
    memberExists?: boolean;
    /** StartShift: whether that member's personal data has been erased. */
    memberErased?: boolean;
    /**
     * StartShift with a campaign: the member's unit and its ancestors (any order). The campaign must
     * have been launched by one of them; unknown, none qualifies.
     */
    memberUnitPath?: readonly string[];
    /**
     * The shift's campaign, when the shift has one (StartShift and RecordAssistance refuse with
     * `campaign_not_found` when the shift names a campaign and this is missing).
     */
    campaign?: ShiftCampaignFacts | null;
    /** Default 16. */
    maxShiftHours?: number;
    /** Default 5. */
    futureToleranceMinutes?: number;
  }>;

/** A span in epoch milliseconds, half-open `[start, end)`; an open shift reaches forever. */
type Interval = { start: number; end: number };

const intervalOf = (span: ShiftSpan): Interval => ({
  start: instantMillis(span.startedAt),
  end: span.endedAt === null ? Number.POSITIVE_INFINITY : instantMillis(span.endedAt),
});

/** The refusal of both overlap rules below, naming the shift in the way. */
const overlapping = (other: ShiftSpan) => {
  const until = other.endedAt === null ? 'is still open' : `ended ${other.endedAt}`;
  return new DomainRuleViolation(
    'shift_overlaps',
    `this shift would overlap shift ${other.shiftId} of the same member, which started ${other.startedAt} and ${until}`,
  );
};

/**
 * Refuses a span that would share any moment with another of the member's shifts. Treating an open
 * shift as reaching forever covers "starts or ends inside another" and "while one is still open"
 * with a single comparison; back-to-back shifts (one ends when the next starts) do not overlap.
 */
export function requireNoOverlap(span: ShiftSpan, others: readonly ShiftSpan[]): void {
  const mine = intervalOf(span);
  for (const other of others) {
    if (other.shiftId === span.shiftId) continue;
    const theirs = intervalOf(other);
    if (mine.start < theirs.end && theirs.start < mine.end) {
      throw overlapping(other);
    }
  }
}

/**
 * A new shift may not start inside another of the member's shifts, nor while one of them is still
 * open. Its own open span is not compared with later shifts: a shift typed in days late starts
 * open, and only its end (checked by `requireNoOverlap` on EndShift) says how far it reaches.
 */
export function requireFreeStart(
  shiftId: string,
  startedAt: Instant,
  others: readonly ShiftSpan[],
): void {
  const start = instantMillis(startedAt, 'startedAt');
  for (const other of others) {
    if (other.shiftId === shiftId) continue;
    const theirs = intervalOf(other);
    if (other.endedAt === null || (theirs.start <= start && start < theirs.end)) {
      throw overlapping(other);
    }
  }
}

/** A finished shift ends strictly after it starts and lasts at most `maxShiftHours`. */
export function requireValidDuration(
  startedAt: Instant,
  endedAt: Instant,
  maxShiftHours: number,
): void {
  const start = instantMillis(startedAt, 'startedAt');
  const end = instantMillis(endedAt, 'endedAt');
  if (end <= start) {
    throw new DomainRuleViolation(
      'shift_ends_before_start',
      `a shift must end after it starts (started ${startedAt}, ended ${endedAt})`,
    );
  }
  if (end - start > maxShiftHours * hourMs) {
    throw new DomainRuleViolation(
      'shift_too_long',
      `a shift lasts at most ${maxShiftHours} hours (this one would last ${round((end - start) / hourMs)})`,
    );
  }
}

/** Assistance already recorded must stay inside the shift's span after an end or a correction. */
export function requireAssistanceInside(
  span: ShiftSpan,
  firstAssistanceAt: Instant | null,
  lastAssistanceAt: Instant | null,
): void {
  const { start, end } = intervalOf(span);
  if (firstAssistanceAt !== null && instantMillis(firstAssistanceAt) < start) {
    throw new DomainRuleViolation(
      'assistance_outside_shift',
      `assistance recorded at ${firstAssistanceAt} would fall before the shift's start ${span.startedAt}`,
    );
  }
  if (lastAssistanceAt !== null && instantMillis(lastAssistanceAt) > end) {
    throw new DomainRuleViolation(
      'assistance_outside_shift',
      `assistance recorded at ${lastAssistanceAt} would fall after the shift's end ${span.endedAt}`,
    );
  }
}

export function maxHoursOf(context: Pick<ShiftContext, 'maxShiftHours'>): number {
  return context.maxShiftHours ?? defaultMaxShiftHours;
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** A shift's campaign must exist and still be open for anything to be recorded in it. */
export function requireOpenCampaign(campaignId: string, context: ShiftContext) {
  if (!context.campaign) throw campaignNotFound(campaignId);
  if (context.campaign.closed) {
    throw new DomainRuleViolation(
      'campaign_closed',
      `campaign ${campaignId} is closed: nothing more is recorded in it`,
    );
  }
  return context.campaign;
}

/**
 * API.md: "A shift's campaign is one launched by the member's unit or one of its ancestors." A
 * member's hours count towards the drives of their own branch of the tree, never a neighbour's.
 */
export function requireCampaignOfBranch(
  campaignId: string,
  campaign: ShiftCampaignFacts,
  context: ShiftContext,
): void {
  if (!(context.memberUnitPath ?? []).includes(campaign.unitId)) {
    throw new DomainRuleViolation(
      'campaign_outside_branch',
      `campaign ${campaignId} was launched by unit ${campaign.unitId}, which is neither the member's unit nor one of its ancestors`,
    );
  }
}
