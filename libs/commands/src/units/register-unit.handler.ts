import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUnit, evolveUnit, initialUnitState, unitStreamId } from '#domain';
import { Authorizer, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import type { RegisterUnitRequest } from './register-unit.request.js';

export class RegisterUnitCommand {
  constructor(
    readonly actor: Actor,
    readonly body: RegisterUnitRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /units';

@CommandHandler(RegisterUnitCommand)
export class RegisterUnitHandler implements ICommandHandler<RegisterUnitCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
  ) {}

  async execute({ actor, body, idempotencyKey }: RegisterUnitCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const unitId = resolveCreationId(body.id, idempotencyKey, route);
    const parentId = body.parentId ?? null;
    const parent = parentId === null ? null : await this.directory.findUnit(parentId);
    const parentExists = parent !== null;
    // The path runs from the root to the unit itself: its length is the unit's level.
    const parentLevel = parent?.path.length ?? 0;
    return this.commands.handle(
      creationEnvelope(actor, route, unitId, body, unitStreamId(unitId)),
      {
        evolve: evolveUnit,
        initialState: initialUnitState,
        authorize: async (state) => {
          // An id taken already names that unit: only who may act on it hears its answer.
          if (state) await this.authorizer.assertCanActOnUnit(actor, state.unitId);
          // A root unit widens the tree itself: only an operator may add one.
          if (parentId === null) this.authorizer.assertRole(actor, 'operator');
          else if (parentExists) await this.authorizer.assertCanActOnUnit(actor, parentId, true);
        },
        decide: (state, context) =>
          decideUnit(
            { type: 'RegisterUnit', data: { unitId, name: body.name, kind: body.kind, parentId } },
            state,
            { ...context, parentExists, parentLevel },
          ),
      },
    );
  }
}
