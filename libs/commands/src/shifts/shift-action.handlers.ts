import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '#platform';
import { resolveActionId, resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { ShiftSupport } from './shift-support.js';
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

@CommandHandler(RecordAssistanceCommand)
export class RecordAssistanceHandler implements ICommandHandler<
  RecordAssistanceCommand,
  CommandResult
> {
  constructor(private readonly support: ShiftSupport) {}

  execute({
    actor,
    shiftId,
    body,
    idempotencyKey,
  }: RecordAssistanceCommand): Promise<CommandResult> {
    const route = 'POST /shifts/:id/assistance';
    const assistanceId = resolveCreationId(body.id, idempotencyKey, route);
    const data = {
      assistanceId,
      shiftId,
      serviceType: body.serviceType,
      citizens: body.citizens ?? 1,
      occurredAt: body.occurredAt,
      citizenRef: body.citizenRef ?? null,
    };
    return this.support.act({
      actor,
      route,
      shiftId,
      commandId: assistanceId,
      id: assistanceId,
      request: { shiftId, ...body, id: assistanceId },
      command: { type: 'RecordAssistance', data },
      roles: [...recorders],
    });
  }
}

@CommandHandler(EndShiftCommand)
export class EndShiftHandler implements ICommandHandler<EndShiftCommand, CommandResult> {
  constructor(private readonly support: ShiftSupport) {}

  execute({ actor, shiftId, body, idempotencyKey }: EndShiftCommand): Promise<CommandResult> {
    const { commandId, ...request } = body;
    return this.support.act({
      actor,
      route: 'POST /shifts/:id/end',
      shiftId,
      commandId: resolveActionId(commandId, idempotencyKey),
      request: { shiftId, ...request },
      command: { type: 'EndShift', data: { shiftId, endedAt: body.endedAt } },
      roles: [...recorders],
      lockMember: true,
    });
  }
}

@CommandHandler(CorrectShiftCommand)
export class CorrectShiftHandler implements ICommandHandler<CorrectShiftCommand, CommandResult> {
  constructor(private readonly support: ShiftSupport) {}

  execute({ actor, shiftId, body, idempotencyKey }: CorrectShiftCommand): Promise<CommandResult> {
    const { commandId, ...request } = body;
    const data = {
      shiftId,
      startedAt: body.startedAt ?? null,
      endedAt: body.endedAt ?? null,
      reason: body.reason,
    };
    return this.support.act({
      actor,
      route: 'POST /shifts/:id/corrections',
      shiftId,
      commandId: resolveActionId(commandId, idempotencyKey),
      request: { shiftId, ...request },
      command: { type: 'CorrectShift', data },
      roles: [...recorders],
      lockMember: true,
    });
  }
}

@CommandHandler(VerifyShiftCommand)
export class VerifyShiftHandler implements ICommandHandler<VerifyShiftCommand, CommandResult> {
  constructor(private readonly support: ShiftSupport) {}

  execute({ actor, shiftId, body, idempotencyKey }: VerifyShiftCommand): Promise<CommandResult> {
    return this.support.act({
      actor,
      route: 'POST /shifts/:id/verify',
      shiftId,
      commandId: resolveActionId(body?.commandId, idempotencyKey),
      request: { shiftId },
      command: { type: 'VerifyShift', data: { shiftId } },
      roles: [...judges],
      judge: true,
    });
  }
}

@CommandHandler(RejectShiftCommand)
export class RejectShiftHandler implements ICommandHandler<RejectShiftCommand, CommandResult> {
  constructor(private readonly support: ShiftSupport) {}

  execute({ actor, shiftId, body, idempotencyKey }: RejectShiftCommand): Promise<CommandResult> {
    const { commandId, ...request } = body;
    return this.support.act({
      actor,
      route: 'POST /shifts/:id/reject',
      shiftId,
      commandId: resolveActionId(commandId, idempotencyKey),
      request: { shiftId, ...request },
      command: { type: 'RejectShift', data: { shiftId, reason: body.reason } },
      roles: [...judges],
      judge: true,
    });
  }
}
