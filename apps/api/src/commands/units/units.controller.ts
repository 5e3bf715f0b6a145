import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import { type CommandResult, RegisterUnitCommand, RegisterUnitRequest } from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: units')
@Controller('units')
export class UnitsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Register a unit (UnitRegistered)',
    description: 'Coordinators inside their subtree; root units: operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  register(
    @CurrentActor() actor: Actor,
    @Body() body: RegisterUnitRequest,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new RegisterUnitCommand(actor, body, idempotencyKey));
  }
}
