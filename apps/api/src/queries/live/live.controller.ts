import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { map, merge, takeUntil, type Observable } from 'rxjs';
import { QueryToken, TokenUsableUntil } from '#platform';
import { atInstant } from './at-instant.js';
import { ProjectionChangesFeed } from './projection-changes.feed.js';

@ApiTags('queries')
@Controller('events')
export class LiveController {
  constructor(private readonly feed: ProjectionChangesFeed) {}

  /**
   * One message per committed projection batch: which read model changed, up to which position. The
   * first message, `ready`, says the stream is listening: a page that reads after it misses nothing,
   * since any later change is notified (reading before it races the subscription).
   */
  @Sse('live')
  @QueryToken()
  @ApiOperation({ summary: 'Server-sent events: one message per projected change' })
  @ApiQuery({
    name: 'access_token',
    required: false,
    description:
      'the bearer token, for EventSource clients that cannot send an Authorization header',
  })
  @ApiProduces('text/event-stream')
  live(@TokenUsableUntil() until: number): Observable<MessageEvent> {
    const changes = this.feed.changes.pipe(
      map((change) => ({
        type: 'projection',
        id: `${change.projection}:${change.position}`,
        data: { ...change, position: Number(change.position) },
      })),
    );
    // merge subscribes to the changes first, so `ready` follows the LISTEN it reports; it comes again
    // when LISTEN is back after the database went away, and the page reads again what it missed.
    const ready = this.feed.listens().pipe(map(() => ({ type: 'ready', data: {} })));
    // The stream ends when its token would be refused: an expired token (a wall screen's, say) gets
    // no more news, and the page, reconnecting with it, is refused and says its figures are stale.
    return merge(changes, ready).pipe(takeUntil(atInstant(until)));
  }
}
