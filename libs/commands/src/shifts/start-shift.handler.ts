import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideShift,
  evolveShift,
  initialShiftState,
  shiftStreamId,
  type ShiftEvent,
  type ShiftState,
} from '#domain';
import { Authorizer, forbidden, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandRunner } from '../shared/command-runner.js';
import { AggregateLookups } from '../shared/lookups.js';
import { ShiftSupport, occurredAtOf } from './shift-support.js';
import type { StartShiftRequest } from './shift.requests.js';

export class StartShiftCommand {
  constructor(
    readonly actor: Actor,
    readonly body: StartShiftRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /shifts';

@CommandHandler(StartShiftCommand)
export class StartShiftHandler implements ICommandHandler<StartShiftCommand, CommandResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly support: ShiftSupport,
    private readonly lookups: AggregateLookups,
    private readonly authorizer: Authorizer,
    private readonly directory: DirectoryService,
  ) {}

  execute({ actor, body, idempotencyKey }: StartShiftCommand): Promise<CommandResult> {
    const shiftId = resolveCreationId(body.id, idempotencyKey, route);
    const { memberId, location, startedAt } = body;
    const campaignId = body.campaignId ?? null;
    // Under the member's lock: read the member's shifts, decide, append, before the next shift of theirs.
    return this.support.start(actor, memberId, async () => {
      const member = await this.lookups.member(memberId);
      return this.runner.run<ShiftState, ShiftEvent>({
        route,
        commandId: shiftId,
        request: { ...body, id: shiftId },
        actor,
        id: shiftId,
        streamId: shiftStreamId(shiftId),
        evolve: evolveShift,
        initialState: initialShiftState,
        authorize: async () => {
          if (member) await this.authorizer.assertCanActForMember(actor, member);
          else if (actor.role === 'volunteer' && actor.sub !== memberId) {
            throw forbidden(
              `A volunteer records only their own shifts (token for "${actor.sub}").`,
              'not_own_record',
            );
          }
        },
        decide: async (state, base) =>
          decideShift(
            { type: 'StartShift', data: { shiftId, memberId, campaignId, location, startedAt } },
            state,
            {
              ...(await this.support.context(base, memberId, campaignId, true)),
              memberExists: member !== null,
              memberErased: member?.erased === true,
              memberUnitPath: member ? (await this.directory.findUnit(member.unitId))?.path : [],
            },
          ),
        occurredAt: occurredAtOf,
      });
    });
  }
}
