import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import { AttainSkillCommand, AttainSkillRequest, type CommandResult } from '#commands';
import { ApiCommand } from '../shared/api-docs.js';

@ApiTags('commands: members')
@Controller('members')
export class SkillsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/skills')
  @ApiOperation({
    summary: "Record a member's digital skill (MemberSkillAttained)",
    description:
      'Once per member and skill: a second record answers the first result and records nothing.',
  })
  @ApiParam({ name: 'id', description: 'The member id' })
  @ApiCommand(
    "volunteer (their own skills), coordinator (members of the token's unit subtree), operator",
  )
  attain(
    @CurrentActor() actor: Actor,
    @Param('id') memberId: string,
    @Body() body: AttainSkillRequest,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new AttainSkillCommand(actor, memberId, body));
  }
}
