import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import { AttainSkillCommand, AttainSkillRequest, type CommandResult } from '#commands';
import { ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: members')
@Controller('members')
export class SkillsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/skills')
  @ApiOperation({
    summary: "Record a member's digital skill (MemberSkillAttained)",
    description:
      'Once per member and skill: a second record answers the first result and records nothing. With a commandId (or an Idempotency-Key), that id names the command and its whole body: the same id with another skill or date is a 409.',
  })
  @ApiParam({ name: 'id', description: 'The member id' })
  @ApiCommand(
    "volunteer (their own skills), coordinator (members of the token's unit subtree), operator",
  )
  @ApiIdempotencyKey()
  attain(
    @CurrentActor() actor: Actor,
    @Param('id') memberId: string,
    @Body() body: AttainSkillRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    // the body's commandId names the command as on every action, before the header (ApiIdempotencyKey)
    return this.commandBus.execute(
      new AttainSkillCommand(actor, memberId, body, body.commandId ?? key),
    );
  }
}
