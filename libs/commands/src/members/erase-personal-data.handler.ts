import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideMember,
  evolveMember,
  initialMemberState,
  memberNotFound,
  memberStreamId,
} from '#domain';
import { Authorizer, PersonalDataVault, type Actor } from '#platform';
import { ActionRequest } from '../shared/action-request.js';
import { onceCommandId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandLog } from '../shared/command-log.js';
import { CommandHandling } from '../shared/handle-command.js';
import { memberSubject } from './enroll-member.handler.js';

/** No body but the command id every action takes (`commandId`), as `Idempotency-Key` names it. */
export class EraseMemberDataRequest extends ActionRequest {}

export class ErasePersonalDataCommand {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'DELETE /members/:id/personal-data';

@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<
  ErasePersonalDataCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
    private readonly vault: PersonalDataVault,
    private readonly log: CommandLog,
  ) {}

  async execute({
    actor,
    memberId,
    idempotencyKey,
  }: ErasePersonalDataCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    return this.commands.handle(
      {
        route,
        // Erasure happens once per member, so without a key the command id is the member's: a resend
        // answers the first result instead of "already erased".
        ...onceCommandId(idempotencyKey, 'erase', memberId),
        request: { memberId },
        actor,
        id: memberId,
        streamId: memberStreamId(memberId),
        notFound: () => memberNotFound(memberId),
      },
      {
        evolve: evolveMember,
        initialState: initialMemberState,
        // A shift start decides on whether its member is erased (StartShiftHandler's `reads`).
        readByOthers: true,
        authorize: async (state) => {
          if (state) await this.authorizer.assertCanActOnUnit(actor, state.unitId);
        },
        decide: async (state, context, { requireIdFree }) => {
          const erased = decideMember({ type: 'EraseMemberData', data: { memberId } }, state, {
            ...context,
            unitExists: true,
          });
          // The key goes first: should the append then fail, a resend finds it gone and records the
          // event. The idempotency log forgets the bodies that carried the name, so a resend cannot
          // test a guess. A key another command holds is refused first, as the append would refuse it.
          await requireIdFree();
          await this.vault.destroy(memberSubject(memberId));
          await this.log.forgetSubject(memberSubject(memberId));
          return erased;
        },
      },
    );
  }
}
