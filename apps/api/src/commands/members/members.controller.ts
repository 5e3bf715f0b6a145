import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import {
  type CommandResult,
  EnrollMemberCommand,
  EnrollMemberRequest,
  EraseMemberDataRequest,
  ErasePersonalDataCommand,
} from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: members')
@Controller('members')
export class MembersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Enroll a member (MemberEnrolled)',
    description: 'Coordinators inside their subtree; operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  enroll(
    @CurrentActor() actor: Actor,
    @Body() body: EnrollMemberRequest,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new EnrollMemberCommand(actor, body, idempotencyKey));
  }

  @Delete(':id/personal-data')
  @HttpCode(201)
  @ApiOperation({
    summary: "Erase a member's personal data (MemberDataErased)",
    description:
      "Destroys the member's key: the name becomes unreadable everywhere while the log stays verifiable. Idempotent without a key.",
  })
  @ApiParam({ name: 'id', description: 'The member id' })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  erase(
    @CurrentActor() actor: Actor,
    @Param('id') memberId: string,
    @Body() body: EraseMemberDataRequest,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<CommandResult> {
    // the body's commandId names the command as on every action, before the header (ApiIdempotencyKey)
    const key = body.commandId ?? idempotencyKey;
    return this.commandBus.execute(new ErasePersonalDataCommand(actor, memberId, key));
  }
}
