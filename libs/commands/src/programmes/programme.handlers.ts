import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideProgramme,
  evolveProgramme,
  initialProgrammeState,
  programmeNotFound,
  programmeStreamId,
} from '#domain';
import { Authorizer, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveActionId, resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { authorizeCreationInUnit, creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import type { HoldProgrammeRequest, RecordAttendanceRequest } from './programme.requests.js';

export class HoldProgrammeCommand {
  constructor(
    readonly actor: Actor,
    readonly body: HoldProgrammeRequest,
    readonly idempotencyKey?: string,
  ) {}
}

export class RecordAttendanceCommand {
  constructor(
    readonly actor: Actor,
    readonly programmeId: string,
    readonly body: RecordAttendanceRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const holdRoute = 'POST /programmes';
const attendanceRoute = 'POST /programmes/:id/attendance';

@CommandHandler(HoldProgrammeCommand)
export class HoldProgrammeHandler implements ICommandHandler<HoldProgrammeCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
  ) {}

  async execute({ actor, body, idempotencyKey }: HoldProgrammeCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const programmeId = resolveCreationId(body.id, idempotencyKey, holdRoute);
    const unitExists = (await this.directory.findUnit(body.unitId)) !== null;
    const data = {
      programmeId,
      unitId: body.unitId,
      kind: body.kind,
      title: body.title,
      topic: body.topic ?? null,
      startsAt: body.startsAt,
      endsAt: body.endsAt ?? null,
      partners: body.partners ?? [],
      attendees: { members: body.attendees?.members ?? 0, citizens: body.attendees?.citizens ?? 0 },
    };
    return this.commands.handle(
      creationEnvelope(actor, holdRoute, programmeId, body, programmeStreamId(programmeId)),
      {
        evolve: evolveProgramme,
        initialState: initialProgrammeState,
        authorize: authorizeCreationInUnit(this.authorizer, actor, body.unitId, unitExists),
        decide: (state, context) =>
          decideProgramme({ type: 'HoldProgramme', data }, state, { ...context, unitExists }),
      },
    );
  }
}

@CommandHandler(RecordAttendanceCommand)
export class RecordAttendanceHandler implements ICommandHandler<
  RecordAttendanceCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
  ) {}

  execute({
    actor,
    programmeId,
    body,
    idempotencyKey,
  }: RecordAttendanceCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const { commandId, ...request } = body;
    const data = {
      programmeId,
      members: body.members ?? null,
      citizens: body.citizens ?? null,
      recordedAt: body.recordedAt,
    };
    return this.commands.handle(
      {
        route: attendanceRoute,
        commandId: resolveActionId(commandId, idempotencyKey),
        request: { programmeId, ...request },
        actor,
        id: programmeId,
        streamId: programmeStreamId(programmeId),
        notFound: () => programmeNotFound(programmeId),
      },
      {
        evolve: evolveProgramme,
        initialState: initialProgrammeState,
        authorize: async (state) => {
          if (state) await this.authorizer.assertCanActOnUnit(actor, state.unitId);
        },
        decide: (state, context) =>
          decideProgramme({ type: 'RecordProgrammeAttendance', data }, state, {
            ...context,
            unitExists: true,
          }),
      },
    );
  }
}
