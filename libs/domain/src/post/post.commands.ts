import type { Instant } from '../common/event.js';

export type PublishPost = Readonly<{
  type: 'PublishPost';
  data: Readonly<{
    postId: string;
    unitId: string;
    channel: string;
    title: string;
    url: string | null;
    /** e.g. `good-news`, `beautiful-story`; compared case-insensitively, stored lower-case. */
    tags: string[];
    publishedAt: Instant;
    authorMemberId: string | null;
  }>;
}>;

export type PostCommand = PublishPost;
