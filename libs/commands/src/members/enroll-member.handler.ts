import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideMember,
  evolveMember,
  initialMemberState,
  memberStreamId,
  type MemberEvent,
} from '#domain';
import { Authorizer, PersonalDataVault, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { authorizeCreationInUnit, creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import type { EnrollMemberRequest } from './enroll-member.request.js';

export class EnrollMemberCommand {
  constructor(
    readonly actor: Actor,
    readonly body: EnrollMemberRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /members';

/** The data subject of a member's personal data, and the key that erasing them destroys. */
export const memberSubject = (memberId: string): string => `member-${memberId}`;

@CommandHandler(EnrollMemberCommand)
export class EnrollMemberHandler implements ICommandHandler<EnrollMemberCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ actor, body, idempotencyKey }: EnrollMemberCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const memberId = resolveCreationId(body.id, idempotencyKey, route);
    const unitExists = (await this.directory.findUnit(body.unitId)) !== null;
    return this.commands.handle(
      {
        ...creationEnvelope(actor, route, memberId, body, memberStreamId(memberId)),
        subject: memberSubject(memberId),
      },
      {
        evolve: evolveMember,
        initialState: initialMemberState,
        authorize: authorizeCreationInUnit(this.authorizer, actor, body.unitId, unitExists),
        decide: async (state, context) => {
          const [enrolled] = decideMember(
            {
              type: 'EnrollMember',
              data: { memberId, unitId: body.unitId, displayName: body.displayName },
            },
            state,
            { ...context, unitExists },
          );
          if (enrolled?.type !== 'MemberEnrolled') return [];
          // The name never reaches the log in clear: erasing the member destroys the key (crypto-shredding).
          const sealed = await this.vault.seal(memberSubject(memberId), enrolled.data.displayName);
          return [
            {
              ...enrolled,
              data: { ...enrolled.data, displayName: sealed },
            } as unknown as MemberEvent,
          ];
        },
      },
    );
  }
}
