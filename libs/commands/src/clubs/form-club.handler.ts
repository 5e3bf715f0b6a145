import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { clubStreamId, decideClub, evolveClub, initialClubState } from '#domain';
import { Authorizer, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { authorizeCreationInUnit, creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import type { FormClubRequest } from './form-club.request.js';

export class FormClubCommand {
  constructor(
    readonly actor: Actor,
    readonly body: FormClubRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /clubs';

@CommandHandler(FormClubCommand)
export class FormClubHandler implements ICommandHandler<FormClubCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
  ) {}

  async execute({ actor, body, idempotencyKey }: FormClubCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const clubId = resolveCreationId(body.id, idempotencyKey, route);
    const unitExists = (await this.directory.findUnit(body.unitId)) !== null;
    const data = {
      clubId,
      unitId: body.unitId,
      name: body.name,
      focus: body.focus ?? null,
      foundedAt: body.foundedAt,
      foundingMembers: body.foundingMembers ?? 0,
    };
    return this.commands.handle(
      creationEnvelope(actor, route, clubId, body, clubStreamId(clubId)),
      {
        evolve: evolveClub,
        initialState: initialClubState,
        authorize: authorizeCreationInUnit(this.authorizer, actor, body.unitId, unitExists),
        decide: (state, context) =>
          decideClub({ type: 'FormClub', data }, state, { ...context, unitExists }),
      },
    );
  }
}
