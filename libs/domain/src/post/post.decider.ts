import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CommandContext, Instant } from '../common/event.js';
import { requireNotInFuture, requireText } from '../common/rules.js';
import type { PostCommand } from './post.commands.js';
import type { PostEvent } from './post.events.js';

export type PostState = Readonly<{ postId: string; unitId: string; publishedAt: Instant }> | null;

export type PostContext = CommandContext &
  Readonly<{
    /** PublishPost: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
    /** PublishPost with an author: whether `authorMemberId` names an enrolled member. */
    authorExists?: boolean;
    /** PublishPost with an author: whether that member's personal data is erased. */
    authorErased?: boolean;
    /** Default 5. */
    futureToleranceMinutes?: number;
  }>;

export const initialPostState: PostState = null;

export function evolvePost(_state: PostState, event: PostEvent): PostState {
  switch (event.type) {
    case 'PostPublished': {
      const { postId, unitId, publishedAt } = event.data;
      return { postId, unitId, publishedAt };
    }
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

export function decidePost(
  command: PostCommand,
  state: PostState,
  context: PostContext,
): PostEvent[] {
  switch (command.type) {
    case 'PublishPost': {
      const { postId, unitId, publishedAt, authorMemberId } = command.data;
      if (state) throw new Conflict('post_already_published', `post ${postId} already exists`);
      if (!context.unitExists)
        throw new NotFound('unit_not_found', `unit ${unitId} does not exist`);
      if (authorMemberId !== null && context.authorExists !== true) {
        throw new NotFound('member_not_found', `author member ${authorMemberId} does not exist`);
      }
      // Erasure is how a member leaves for good, as for shifts and skills: no new work is credited to
      // a member whose name nobody can read back.
      if (authorMemberId !== null && context.authorErased === true) {
        throw new DomainRuleViolation(
          'member_erased',
          `the personal data of member ${authorMemberId} is erased: no new posts are credited to them`,
        );
      }
      const channel = requireText(command.data.channel, 'channel', 'channel');
      const title = requireText(command.data.title, 'title', 'title');
      const url = command.data.url?.trim() ? requireText(command.data.url, 'url', 'url') : null;
      requireNotInFuture(publishedAt, 'publishedAt', context.now, context.futureToleranceMinutes);
      // Cadence projections look tags up by exact string, so spelling variants are folded here: case,
      // and the two ways Vietnamese keyboards write a letter (precomposed, or with combining marks).
      const tags = [
        ...new Set(
          command.data.tags.map((tag) => tag.trim().toLowerCase().normalize('NFC')).filter(Boolean),
        ),
      ];
      return [
        {
          type: 'PostPublished',
          data: { postId, unitId, channel, title, url, tags, publishedAt, authorMemberId },
        },
      ];
    }
    default: {
      const unknown: never = command.type;
      return unknown;
    }
  }
}

export const postDecider: Decider<PostCommand, PostEvent, PostState, PostContext> = {
  decide: decidePost,
  evolve: evolvePost,
  initialState: initialPostState,
};
