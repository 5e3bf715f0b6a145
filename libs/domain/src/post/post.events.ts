import type { Event, Instant } from '../common/event.js';

export type PostPublished = Event<
  'PostPublished',
  {
    postId: string;
    unitId: string;
    channel: string;
    title: string;
    url: string | null;
    /** e.g. `good-news` (one every day) or `beautiful-story` (one every week). */
    tags: string[];
    publishedAt: Instant;
    authorMemberId: string | null;
  }
>;
export type PostEvent = PostPublished;

export const postStreamId = (postId: string): string => `post-${postId}`;
