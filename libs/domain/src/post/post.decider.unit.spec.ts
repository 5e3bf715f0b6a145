import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { PublishPost } from './post.commands.js';
import { postDecider } from './post.decider.js';
import type { PostPublished } from './post.events.js';

const post = deciderSpec(postDecider, {
  ...coordinator,
  unitExists: true,
  authorExists: true,
  authorErased: false,
});
const publish = (data: Partial<PublishPost['data']> = {}): PublishPost => ({
  type: 'PublishPost',
  data: {
    postId: 'p1',
    unitId: 'ward-3',
    channel: 'facebook',
    title: 'Hướng dẫn kích hoạt VNeID mức 2',
    url: 'https://example.org/p1',
    tags: ['Good-News', 'good-news ', ''],
    publishedAt: '2025-08-10T09:00:00+07:00',
    authorMemberId: 'member-an',
    ...data,
  },
});
const published: PostPublished = {
  type: 'PostPublished',
  data: {
    postId: 'p1',
    unitId: 'ward-3',
    channel: 'facebook',
    title: 'Hướng dẫn kích hoạt VNeID mức 2',
    url: 'https://example.org/p1',
    tags: ['good-news'],
    publishedAt: '2025-08-10T09:00:00+07:00',
    authorMemberId: 'member-an',
  },
};

describe('publishing a post', () => {
  it('records PostPublished with tags folded to one spelling', () => {
    post.given([]).when(publish()).then([published]);
  });

  it('folds a tag typed precomposed and with combining marks to one (composed) tag', () => {
    // given a tag typed on two Vietnamese keyboards: "ố" as one character, and as "o" with two marks
    const tags = ['Tin-tốt', 'tin-tốt'.normalize('NFD')];
    // when the post is published, then it carries one tag, in composed form
    post
      .given([])
      .when(publish({ tags }))
      .then([{ ...published, data: { ...published.data, tags: ['tin-tốt'.normalize('NFC')] } }]);
  });

  it('accepts a post without author or url', () => {
    post
      .given([])
      .when(publish({ authorMemberId: null, url: null }), { authorExists: false })
      .then([{ ...published, data: { ...published.data, authorMemberId: null, url: null } }]);
  });

  it('refuses an unknown unit or author (404) and an id already used (409)', () => {
    post.given([]).when(publish(), { unitExists: false }).thenThrows(NotFound, 'unit_not_found');
    post
      .given([])
      .when(publish(), { authorExists: false })
      .thenThrows(NotFound, 'member_not_found');
    post.given([published]).when(publish()).thenThrows(Conflict, 'post_already_published');
  });

  it('refuses to credit a member whose personal data is erased (422), not a post without author', () => {
    post
      .given([])
      .when(publish(), { authorErased: true })
      .thenThrows(DomainRuleViolation, 'member_erased');
    post
      .given([])
      .when(publish({ authorMemberId: null, url: null }), {
        authorExists: false,
        authorErased: true,
      })
      .then([{ ...published, data: { ...published.data, authorMemberId: null, url: null } }]);
  });

  it('refuses a blank title or channel', () => {
    post
      .given([])
      .when(publish({ title: ' ' }))
      .thenThrows(DomainRuleViolation, 'title_required');
    post
      .given([])
      .when(publish({ channel: '' }))
      .thenThrows(DomainRuleViolation, 'channel_required');
  });

  it('refuses a publication date in the future', () => {
    post
      .given([])
      .when(publish({ publishedAt: '2025-08-10T12:30:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });
});
