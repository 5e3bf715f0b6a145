import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import {
  type CommandResult,
  CorrectShiftCommand,
  CorrectShiftRequest,
  EndShiftCommand,
  EndShiftRequest,
  RecordAssistanceCommand,
  RecordAssistanceRequest,
  RejectShiftCommand,
  RejectShiftRequest,
  StartShiftCommand,
  StartShiftRequest,
  VerifyShiftCommand,
  VerifyShiftRequest,
} from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

const shiftParam = ApiParam({ name: 'id', description: 'The shift id' });

@ApiTags('commands: shifts')
@Controller('shifts')
export class ShiftsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Start a shift (ShiftStarted)',
    description:
      'Volunteers for themselves; coordinators for members of their subtree. 422 when it would overlap another shift of the member or start more than 5 minutes ahead.',
  })
  @ApiCommand(ACCESS.ownShift)
  @ApiIdempotencyKey()
  start(
    @CurrentActor() actor: Actor,
    @Body() body: StartShiftRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new StartShiftCommand(actor, body, key));
  }

  @Post(':id/assistance')
  @ApiOperation({
    summary: 'Record citizens assisted during the shift (CitizenAssisted)',
    description:
      'The body `id` is the assistance id (and the command id). 422 when outside the shift or in the future.',
  })
  @shiftParam
  @ApiCommand(ACCESS.ownShift)
  @ApiIdempotencyKey()
  assist(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: RecordAssistanceRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RecordAssistanceCommand(actor, id, body, key));
  }

  @Post(':id/end')
  @ApiOperation({
    summary: 'End an open shift (ShiftEnded)',
    description: '422 when the shift is not open, too long, or would overlap.',
  })
  @shiftParam
  @ApiCommand(ACCESS.ownShift)
  @ApiIdempotencyKey()
  end(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: EndShiftRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new EndShiftCommand(actor, id, body, key));
  }

  @Post(':id/corrections')
  @ApiOperation({
    summary: "Correct a shift's times with a reason (ShiftCorrected)",
    description: 'Sends the shift back to pending verification.',
  })
  @shiftParam
  @ApiCommand(ACCESS.ownShift)
  @ApiIdempotencyKey()
  correct(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: CorrectShiftRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CorrectShiftCommand(actor, id, body, key));
  }

  @Post(':id/verify')
  @ApiOperation({
    summary: 'Verify a shift (ShiftVerified)',
    description: "Coordinators of the member's subtree and operators; never one's own shift (403).",
  })
  @shiftParam
  @ApiCommand(ACCESS.review)
  @ApiIdempotencyKey()
  verify(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: VerifyShiftRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new VerifyShiftCommand(actor, id, body, key));
  }

  @Post(':id/reject')
  @ApiOperation({
    summary: 'Reject a shift with a reason (ShiftRejected)',
    description: "Coordinators of the member's subtree and operators; never one's own shift (403).",
  })
  @shiftParam
  @ApiCommand(ACCESS.review)
  @ApiIdempotencyKey()
  reject(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: RejectShiftRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RejectShiftCommand(actor, id, body, key));
  }
}
