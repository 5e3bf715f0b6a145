import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { QueryToken } from '#platform';
import { ProjectionChangesFeed } from './projection-changes.feed.js';

@ApiTags('queries')
@Controller('events')
export class LiveController {
  constructor(private readonly feed: ProjectionChangesFeed) {}

  /** One message per committed projection batch: which read model changed, up to which position. */
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
  live(): Observable<MessageEvent> {
    return this.feed.changes.pipe(
      map((change) => ({
        type: 'projection',
        id: `${change.projection}:${change.position}`,
        data: { ...change, position: Number(change.position) },
      })),
    );
  }
}
