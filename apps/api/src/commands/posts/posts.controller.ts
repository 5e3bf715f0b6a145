import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '#platform';
import { type CommandResult, PublishPostCommand, PublishPostRequest } from '#commands';
import { ACCESS, ApiCommand, ApiIdempotencyKey } from '../shared/api-docs.js';
import { IdempotencyKey } from '../shared/idempotency-key.js';

@ApiTags('commands: posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: "Publish a post on a unit's channel (PostPublished)",
    description: 'Coordinators inside their subtree; operators.',
  })
  @ApiCommand(ACCESS.inSubtree)
  @ApiIdempotencyKey()
  publish(
    @CurrentActor() actor: Actor,
    @Body() body: PublishPostRequest,
    @IdempotencyKey() key?: string,
  ): Promise<CommandResult> {
    return this.commandBus.execute(new PublishPostCommand(actor, body, key));
  }
}
