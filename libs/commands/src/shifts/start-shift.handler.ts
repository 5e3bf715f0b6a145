import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideShift, shiftStreamId } from '#domain';
import { Authorizer, forbidden, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
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
 * are never both accepted.
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
    const member = await this.lookups.member(memberId);
    return this.commands.handle(
      {
        route,
        commandId: shiftId,
        request: { ...body, id: shiftId },
        actor,
        id: shiftId,
        streamId: shiftStreamId(shiftId),
      },
      {
        ...shiftFold,
        authorize: async () => {
          if (member) await this.authorizer.assertCanActForMember(actor, member, 'shifts');
          else if (actor.role === 'volunteer' && actor.sub !== memberId) {
            throw forbidden(
              `A volunteer records only their own shifts (token for "${actor.sub}").`,
              'not_own_record',
            );
          }
        },
        guard: () => memberId,
        decide: async (state, base, guarded) =>
          decideShift(
            { type: 'StartShift', data: { shiftId, memberId, campaignId, location, startedAt } },
            state,
            {
              ...(await this.facts.context(base, memberId, campaignId, guarded)),
              memberExists: member !== null,
              memberErased: member?.erased === true,
              memberUnitPath: member ? (await this.directory.findUnit(member.unitId))?.path : [],
            },
          ),
      },
    );
  }
}
