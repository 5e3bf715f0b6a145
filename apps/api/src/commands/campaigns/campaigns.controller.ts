import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import {
  CloseCampaignCommand,
  CloseCampaignRequest,
  type CommandResult,
  ExtendCampaignCommand,
  ExtendCampaignRequest,
  LaunchCampaignCommand,
  LaunchCampaignRequest,
} from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Launch a campaign (CampaignLaunched)',
    description: 'Coordinators inside their subtree; operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  launch(
    @CurrentActor() actor: Actor,
    @Body() body: LaunchCampaignRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new LaunchCampaignCommand(actor, body, key));
  }

  @Post(':id/extend')
  @ApiOperation({ summary: 'Move the end date later (CampaignExtended)' })
  @ApiParam({ name: 'id', description: 'The campaign id' })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  extend(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: ExtendCampaignRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new ExtendCampaignCommand(actor, id, body, key));
  }

  @Post(':id/close')
  @ApiOperation({
    summary: 'Close a campaign (CampaignClosed)',
    description: 'Nothing more is recorded in it. Idempotent without a key.',
  })
  @ApiParam({ name: 'id', description: 'The campaign id' })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  close(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: CloseCampaignRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new CloseCampaignCommand(actor, id, body, key));
  }
}
