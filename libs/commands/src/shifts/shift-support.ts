import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  NotFound,
  decideShift,
  evolveShift,
  initialShiftState,
  shiftStreamId,
  type CommandContext,
  type Role,
  type ShiftCommand,
  type ShiftContext,
  type ShiftEvent,
  type ShiftState,
} from '#domain';
import type { EventStore } from '#event-store';
import {
  APP_CONFIG,
  Authorizer,
  EVENT_STORE,
  derivedKey,
  PersonalDataVault,
  type Actor,
  type AppConfig,
} from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandRunner } from '../shared/command-runner.js';
import { readCurrentStream } from '../shared/current-events.js';
import { AggregateLookups } from '../shared/lookups.js';

export type ShiftAction = Readonly<{
  actor: Actor;
  route: string;
  shiftId: string;
  commandId: string;
  /** The id answered (the shift id, or the assistance id). */
  id?: string;
  request: unknown;
  command: ShiftCommand;
  roles: Role[];
  /** Verifying and rejecting judge the member's shift: coordinators of the subtree and operators. */
  judge?: boolean;
  /** Commands that move the shift in time hold the member's lock (the overlap rule). */
  lockMember?: boolean;
}>;

/**
 * What every shift command shares: the member's advisory lock where the overlap rule is at stake, the
 * context a shift decision needs (the member's other shifts, the campaign, the maximum length), the
 * ownership rules, and sealing the citizen reference.
 */
@Injectable()
export class ShiftSupport {
  private readonly citizenPepper: Buffer;

  constructor(
    private readonly runner: CommandRunner,
    private readonly directory: DirectoryService,
    private readonly lookups: AggregateLookups,
    private readonly authorizer: Authorizer,
    private readonly vault: PersonalDataVault,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.citizenPepper = derivedKey(config.jwtSecret, 'citizen-subject');
  }

  async act(action: ShiftAction): Promise<CommandResult> {
    this.authorizer.assertRole(action.actor, ...action.roles);
    if (!action.lockMember) return this.run(action);
    // The member is needed before the lock; a shift never changes member, so this read cannot go stale.
    const first = await readCurrentStream(this.store, shiftStreamId(action.shiftId), {
      maxCount: 1,
    });
    const memberId = (first[0]?.data as { memberId?: string } | undefined)?.memberId;
    if (!memberId) throw new NotFound('shift_not_found', `shift ${action.shiftId} does not exist`);
    return this.directory.withMemberLock(memberId, () => this.run(action));
  }

  /** StartShift: the shift does not exist yet; the lock is on the member named in the body. */
  start(actor: Actor, memberId: string, run: () => Promise<CommandResult>): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'volunteer', 'coordinator', 'operator');
    return this.directory.withMemberLock(memberId, run);
  }

  async context(
    base: CommandContext,
    memberId: string | null,
    campaignId: string | null,
    withShifts: boolean,
  ) {
    if (withShifts) await this.directory.catchUp();
    const memberShifts = withShifts && memberId ? await this.directory.memberShifts(memberId) : [];
    const campaign = campaignId ? await this.lookups.campaign(campaignId) : null;
    return {
      ...base,
      memberShifts,
      campaign,
      maxShiftHours: this.config.maxShiftHours,
    } satisfies ShiftContext;
  }

  async authorizeFor(actor: Actor, memberId: string, judge = false): Promise<void> {
    const member = await this.lookups.member(memberId);
    if (!member) throw new NotFound('member_not_found', `member ${memberId} does not exist`);
    if (judge) await this.authorizer.assertCanActOnUnit(actor, member.unitId);
    else await this.authorizer.assertCanActForMember(actor, member);
  }

  /**
   * The citizen is the data subject of a citizen reference, so it gets a key of its own: erasing a
   * volunteer leaves the citizens they helped alone, and one citizen's key shreds every visit of theirs.
   * The subject id is keyed with a server secret so the log never carries a hash of the reference
   * that could be reversed by trying every ID number.
   */
  citizenSubject(citizenRef: string): string {
    return `citizen-${createHmac('sha256', this.citizenPepper).update(citizenRef).digest('hex').slice(0, 32)}`;
  }

  async sealCitizenRef(event: ShiftEvent): Promise<ShiftEvent> {
    if (event.type !== 'CitizenAssisted' || event.data.citizenRef === null) return event;
    const sealed = await this.vault.seal(
      this.citizenSubject(event.data.citizenRef),
      event.data.citizenRef,
    );
    return { ...event, data: { ...event.data, citizenRef: sealed } } as unknown as ShiftEvent;
  }

  private run(action: ShiftAction): Promise<CommandResult> {
    const { command } = action;
    return this.runner.run<ShiftState, ShiftEvent>({
      route: action.route,
      subject:
        command.type === 'RecordAssistance' && command.data.citizenRef
          ? this.citizenSubject(command.data.citizenRef)
          : undefined,
      commandId: action.commandId,
      request: action.request,
      actor: action.actor,
      id: action.id ?? action.shiftId,
      streamId: shiftStreamId(action.shiftId),
      evolve: evolveShift,
      initialState: initialShiftState,
      notFound: new NotFound('shift_not_found', `shift ${action.shiftId} does not exist`),
      authorize: (state) => this.authorizeFor(action.actor, state!.memberId, action.judge),
      decide: async (state, base) =>
        decideShift(
          action.command,
          state,
          await this.context(base, state!.memberId, state!.campaignId, action.lockMember ?? false),
        ),
      occurredAt: (event) => occurredAtOf(event),
      prepare: (event) => this.sealCitizenRef(event),
    });
  }
}

export function occurredAtOf(event: ShiftEvent): string | undefined {
  switch (event.type) {
    case 'ShiftStarted':
      return event.data.startedAt;
    case 'CitizenAssisted':
      return event.data.occurredAt;
    case 'ShiftEnded':
      return event.data.endedAt;
    default:
      return undefined;
  }
}
