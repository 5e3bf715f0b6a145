import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { campaignStreamId, decideShift, memberStreamId, shiftStreamId } from '#domain';
import { Authorizer, forbidden, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import { AggregateLookups } from '../shared/lookups.js';
import { ShiftFacts, shiftFold } from './shift-facts.js';
import type { StartShiftRequest } from './shift.requests.js';

export class StartShiftCommand {
  constructor(
    readonly actor: Actor,
    readonly body: StartShiftRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /shifts';

/**
 * A new shift of the member named in the body, decided under that member's guard: their other
 * shifts are read in the transaction that appends this one, so two overlapping shifts of one member
 * are never both accepted. The member (erased or not) and the campaign (closed or not) are read
 * while their streams' locks are held (`reads`): an erasure or a closing is recorded before that read
 * or after this shift, never in between.
 */
@CommandHandler(StartShiftCommand)
export class StartShiftHandler implements ICommandHandler<StartShiftCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly lookups: AggregateLookups,
    private readonly authorizer: Authorizer,
    private readonly directory: DirectoryService,
  ) {}

  async execute({ actor, body, idempotencyKey }: StartShiftCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'volunteer', 'coordinator', 'operator');
    const shiftId = resolveCreationId(body.id, idempotencyKey, route);
    const { memberId, location, startedAt } = body;
    const campaignId = body.campaignId ?? null;
    // who may act for the member (their unit never changes: the cached state answers)
    const member = await this.lookups.memberForAccess(memberId);
    return this.commands.handle(
      creationEnvelope(actor, route, shiftId, body, shiftStreamId(shiftId)),
      {
        ...shiftFold,
        authorize: async (shift) => {
          // An id taken already names that shift: only who may act for its member hears its answer.
          if (shift) await this.facts.authorizeRecording(actor, shift.memberId);
          if (member) await this.authorizer.assertCanActForMember(actor, member, 'shifts');
          else if (actor.role === 'volunteer' && actor.sub !== memberId) {
            throw forbidden(
              `A volunteer records only their own shifts (token for "${actor.sub}").`,
              'not_own_record',
            );
          }
        },
        guard: () => memberId,
        reads: () => [
          memberStreamId(memberId),
          ...(campaignId ? [campaignStreamId(campaignId)] : []),
        ],
        decide: async (state, base, { db, heads }) => {
          const current = await this.lookups.member(memberId, heads); // as of now, under its lock: erased?
          // Unknown when authorized, enrolled since (in any subtree): who may act for them is asked now.
          if (!member && current)
            await this.authorizer.assertCanActForMember(actor, current, 'shifts');
          return decideShift(
            { type: 'StartShift', data: { shiftId, memberId, campaignId, location, startedAt } },
            state,
            {
              ...(await this.facts.context(base, memberId, campaignId, { guarded: db, heads })),
              memberExists: current !== null,
              memberErased: current?.erased === true,
              memberUnitPath: current ? (await this.directory.findUnit(current.unitId))?.path : [],
            },
          );
        },
      },
    );
  }
}
