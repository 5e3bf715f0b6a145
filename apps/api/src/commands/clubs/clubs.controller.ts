import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import { type CommandResult, FormClubCommand, FormClubRequest } from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: clubs')
@Controller('clubs')
export class ClubsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Form a digital-transformation club (ClubFormed)',
    description: 'Coordinators inside their subtree; operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  form(
    @CurrentActor() actor: Actor,
    @Body() body: FormClubRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new FormClubCommand(actor, body, key));
  }
}
