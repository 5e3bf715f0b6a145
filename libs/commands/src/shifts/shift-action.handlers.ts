import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  campaignStreamId,
  decideShift,
  shiftNotFound,
  shiftStreamId,
  type ShiftCommand,
} from '#domain';
import { Authorizer, type Actor } from '#platform';
import { resolveActionId, resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandHandling, type CommandEnvelope } from '../shared/handle-command.js';
import { CitizenSubjects } from '../citizens/citizen-subjects.js';
import { ShiftFacts, shiftFold } from './shift-facts.js';
import { judged, movedInTime } from './shift-steps.js';
import type {
  CorrectShiftRequest,
  EndShiftRequest,
  RecordAssistanceRequest,
  RejectShiftRequest,
  VerifyShiftRequest,
} from './shift.requests.js';

/** An action on an existing shift: the path's shift id, the body, and an optional Idempotency-Key. */
abstract class ShiftActionCommand<Body> {
  constructor(
    readonly actor: Actor,
    readonly shiftId: string,
    readonly body: Body,
    readonly idempotencyKey?: string,
  ) {}
}
export class RecordAssistanceCommand extends ShiftActionCommand<RecordAssistanceRequest> {}
export class EndShiftCommand extends ShiftActionCommand<EndShiftRequest> {}
export class CorrectShiftCommand extends ShiftActionCommand<CorrectShiftRequest> {}
export class VerifyShiftCommand extends ShiftActionCommand<VerifyShiftRequest> {}
export class RejectShiftCommand extends ShiftActionCommand<RejectShiftRequest> {}

const recorders = ['volunteer', 'coordinator', 'operator'] as const;
const judges = ['coordinator', 'operator'] as const;

/** The envelope of an action on the shift `shiftId` (answered with `id`, the shift id by default). */
const onShift = (
  actor: Actor,
  route: string,
  shiftId: string,
  commandId: string,
  request: object,
  id = shiftId,
): CommandEnvelope => ({
  route,
  commandId,
  request: { shiftId, ...request },
  actor,
  id,
  streamId: shiftStreamId(shiftId),
  notFound: () => shiftNotFound(shiftId),
});

/**
 * Assistance happens while on duty: inside the shift, in its campaign while open. No member guard; the
 * campaign is read under its stream's lock, held shared (`reads`), so a closing is recorded before
 * that read or after this assistance, never in between. A shift without a campaign is one statement;
 * one in a campaign this process holds at its head is three (BEGIN with the lock and the head, the
 * append, COMMIT).
 */
@CommandHandler(RecordAssistanceCommand)
export class RecordAssistanceHandler implements ICommandHandler<
  RecordAssistanceCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly citizens: CitizenSubjects,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, shiftId, body, idempotencyKey }: RecordAssistanceCommand) {
    this.authorizer.assertRole(actor, ...recorders);
    const route = 'POST /shifts/:id/assistance';
    const assistanceId = resolveCreationId(body.id, idempotencyKey, route);
    const citizenRef = body.citizenRef ?? null;
    const command: ShiftCommand = {
      type: 'RecordAssistance',
      data: {
        assistanceId,
        shiftId,
        serviceType: body.serviceType,
        citizens: body.citizens ?? 1,
        occurredAt: body.occurredAt,
        citizenRef,
      },
    };
    const request = { ...body, id: assistanceId };
    return this.commands.handle(
      {
        ...onShift(actor, route, shiftId, assistanceId, request, assistanceId),
        subject: citizenRef ? this.citizens.of(citizenRef) : undefined,
      },
      {
        ...shiftFold,
        authorize: (shift) => this.facts.authorizeRecording(actor, shift!.memberId),
        reads: (shift) => (shift!.campaignId ? [campaignStreamId(shift!.campaignId)] : []),
        decide: async (shift, base, { heads }) => {
          const context = await this.facts.context(base, shift!.memberId, shift!.campaignId, {
            heads,
          });
          const events = decideShift(command, shift, context);
          return Promise.all(events.map((event) => this.citizens.seal(event)));
        },
      },
    );
  }
}

/** Ending moves the shift in time (movedInTime: under the member's guard, for the overlap rule). */
@CommandHandler(EndShiftCommand)
export class EndShiftHandler implements ICommandHandler<EndShiftCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, shiftId, body, idempotencyKey }: EndShiftCommand) {
    this.authorizer.assertRole(actor, ...recorders);
    const { commandId, ...request } = body;
    const id = resolveActionId(commandId, idempotencyKey);
    const command: ShiftCommand = { type: 'EndShift', data: { shiftId, endedAt: body.endedAt } };
    return this.commands.handle(
      onShift(actor, 'POST /shifts/:id/end', shiftId, id, request),
      movedInTime(this.facts, actor, command),
    );
  }
}

/** A correction moves the shift in time (movedInTime) and sends it back for a verdict. */
@CommandHandler(CorrectShiftCommand)
export class CorrectShiftHandler implements ICommandHandler<CorrectShiftCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, shiftId, body, idempotencyKey }: CorrectShiftCommand) {
    this.authorizer.assertRole(actor, ...recorders);
    const { commandId, ...request } = body;
    const id = resolveActionId(commandId, idempotencyKey);
    const command: ShiftCommand = {
      type: 'CorrectShift',
      data: {
        shiftId,
        startedAt: body.startedAt ?? null,
        endedAt: body.endedAt ?? null,
        reason: body.reason,
      },
    };
    const route = 'POST /shifts/:id/corrections';
    return this.commands.handle(
      onShift(actor, route, shiftId, id, request),
      movedInTime(this.facts, actor, command),
    );
  }
}

/** Coordinators of the member's subtree and operators judge a finished shift, never their own. */
@CommandHandler(VerifyShiftCommand)
export class VerifyShiftHandler implements ICommandHandler<VerifyShiftCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, shiftId, body, idempotencyKey }: VerifyShiftCommand) {
    this.authorizer.assertRole(actor, ...judges);
    const id = resolveActionId(body?.commandId, idempotencyKey);
    const command: ShiftCommand = { type: 'VerifyShift', data: { shiftId } };
    return this.commands.handle(
      onShift(actor, 'POST /shifts/:id/verify', shiftId, id, {}),
      judged(this.facts, actor, command),
    );
  }
}

@CommandHandler(RejectShiftCommand)
export class RejectShiftHandler implements ICommandHandler<RejectShiftCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly facts: ShiftFacts,
    private readonly authorizer: Authorizer,
  ) {}

  execute({ actor, shiftId, body, idempotencyKey }: RejectShiftCommand) {
    this.authorizer.assertRole(actor, ...judges);
    const { commandId, ...request } = body;
    const id = resolveActionId(commandId, idempotencyKey);
    const command: ShiftCommand = { type: 'RejectShift', data: { shiftId, reason: body.reason } };
    return this.commands.handle(
      onShift(actor, 'POST /shifts/:id/reject', shiftId, id, request),
      judged(this.facts, actor, command),
    );
  }
}
