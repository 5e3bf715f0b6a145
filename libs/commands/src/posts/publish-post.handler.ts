import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decidePost, evolvePost, initialPostState, postStreamId } from '#domain';
import { Authorizer, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { authorizeCreationInUnit, creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling } from '../shared/handle-command.js';
import { AggregateLookups } from '../shared/lookups.js';
import type { PublishPostRequest } from './publish-post.request.js';

export class PublishPostCommand {
  constructor(
    readonly actor: Actor,
    readonly body: PublishPostRequest,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'POST /posts';

@CommandHandler(PublishPostCommand)
export class PublishPostHandler implements ICommandHandler<PublishPostCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly lookups: AggregateLookups,
    private readonly authorizer: Authorizer,
  ) {}

  async execute({ actor, body, idempotencyKey }: PublishPostCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const postId = resolveCreationId(body.id, idempotencyKey, route);
    const unitExists = (await this.directory.findUnit(body.unitId)) !== null;
    const authorMemberId = body.authorMemberId ?? null;
    const author = authorMemberId === null ? null : await this.lookups.member(authorMemberId);
    const data = {
      postId,
      unitId: body.unitId,
      channel: body.channel,
      title: body.title,
      url: body.url ?? null,
      tags: body.tags ?? [],
      publishedAt: body.publishedAt,
      authorMemberId,
    };
    const inUnit = authorizeCreationInUnit(this.authorizer, actor, body.unitId, unitExists);
    return this.commands.handle(
      creationEnvelope(actor, route, postId, body, postStreamId(postId)),
      {
        evolve: evolvePost,
        initialState: initialPostState,
        authorize: async (state) => {
          await inUnit(state);
          // The author is a member the post speaks of: a coordinator names only members of their
          // own subtree, as for every other record about a member (else a post of their unit could
          // credit, and so probe for, a member of any other district).
          if (author) await this.authorizer.assertCanActOnUnit(actor, author.unitId);
        },
        decide: (state, context) =>
          decidePost({ type: 'PublishPost', data }, state, {
            ...context,
            unitExists,
            authorExists: author !== null,
            authorErased: author?.erased === true,
          }),
      },
    );
  }
}
