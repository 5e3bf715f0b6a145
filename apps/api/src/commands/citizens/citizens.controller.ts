import { Body, Controller, Delete, HttpCode } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type Actor } from '#platform';
import { type CommandResult, EraseCitizenDataCommand, EraseCitizenDataRequest } from '#commands';
import { ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: citizens')
@Controller('citizens')
export class CitizensController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete('personal-data')
  @HttpCode(201)
  @Roles('operator')
  @ApiOperation({
    summary: "Erase a citizen's personal data (CitizenDataErased)",
    description:
      "Operators only. Destroys the key the citizen's references were sealed under: they read as erased everywhere, and every hash chain, checkpoint and proof stays valid. Idempotent without a key.",
  })
  @ApiCommand('operator')
  @ApiIdempotencyKey()
  erase(
    @CurrentActor() actor: Actor,
    @Body() body: EraseCitizenDataRequest,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CommandResult> {
    // the body's commandId names the command as on every action, before the header (ApiIdempotencyKey)
    const key = body.commandId ?? idempotencyKey;
    return this.commandBus.execute(new EraseCitizenDataCommand(actor, body.citizenRef, key));
  }
}
