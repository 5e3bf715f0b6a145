import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideMember,
  evolveMember,
  initialMemberState,
  memberNotFound,
  memberStreamId,
} from '#domain';
import { Authorizer, type Actor } from '#platform';
import { onceCommandId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandHandling } from '../shared/handle-command.js';
import type { AttainSkillRequest } from './attain-skill.request.js';

export class AttainSkillCommand {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
    readonly body: AttainSkillRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /members/:id/skills';

/**
 * A skill is attained once per member: a second record (even with another `attainedAt`) answers the
 * result of the event that recorded it, recording nothing, whichever way either record was identified.
 * Without an `Idempotency-Key` the command id is the member and the skill, and the request that
 * identifies it is those two alone. A client's key names the command instead, with all of its body, as
 * on every other route (API.md): the same key with another skill or date is a 409, not a second skill
 * recorded under it.
 */
@CommandHandler(AttainSkillCommand)
export class AttainSkillHandler implements ICommandHandler<AttainSkillCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, memberId, body, idempotencyKey }: AttainSkillCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'volunteer', 'coordinator', 'operator');
    const { skill, attainedAt } = body;
    const keyless = onceCommandId(undefined, 'skill', memberId, skill);
    return this.commands.handle(
      {
        route,
        ...(idempotencyKey === undefined
          ? keyless
          : // Before this route took the header, every record was stored under the id derived
            // from the member and skill, its request those two alone, whatever key came with it:
            // a client resending such a record with its key gets that first result.
            {
              commandId: idempotencyKey,
              formerIds: keyless.formerIds?.map((former) => ({
                ...former,
                request: { memberId, skill },
              })),
            }),
        request: idempotencyKey ? { memberId, skill, attainedAt } : { memberId, skill },
        actor,
        id: memberId,
        streamId: memberStreamId(memberId),
        notFound: () => memberNotFound(memberId),
      },
      {
        evolve: evolveMember,
        initialState: initialMemberState,
        authorize: async (state) => {
          if (state) await this.authorizer.assertCanActForMember(actor, state, 'skills');
        },
        // a skill the member has already: the event that recorded it answers (the first record stands)
        recordedBy: (event) =>
          event.type === 'MemberSkillAttained' &&
          (event.data as { skill?: unknown }).skill === skill,
        decide: (state, context) =>
          decideMember({ type: 'AttainSkill', data: { memberId, skill, attainedAt } }, state, {
            ...context,
            unitExists: true,
          }),
      },
    );
  }
}
