import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import {
  type CommandResult,
  HoldProgrammeCommand,
  HoldProgrammeRequest,
  RecordAttendanceCommand,
  RecordAttendanceRequest,
} from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: programmes')
@Controller('programmes')
export class ProgrammesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Record an awareness programme, training, contest or youth project (ProgrammeHeld)',
    description: 'Coordinators inside their subtree; operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  hold(
    @CurrentActor() actor: Actor,
    @Body() body: HoldProgrammeRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new HoldProgrammeCommand(actor, body, key));
  }

  @Post(':id/attendance')
  @ApiOperation({
    summary: "Record a programme's head count (ProgrammeAttendanceRecorded)",
    description:
      'A later count replaces the earlier one; a count older than the one recorded is refused (409). Coordinators of the programme’s subtree; operators.',
  })
  @ApiParam({ name: 'id', description: 'The programme id' })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  attendance(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: RecordAttendanceRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RecordAttendanceCommand(actor, id, body, key));
  }
}
