import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { map, merge, takeUntil, type Observable } from 'rxjs';
import {
  APP_CONFIG,
  QueryToken,
  TokenUsableUntil,
  countLiveStreamStopped,
  problemResponse,
  type AppConfig,
} from '#platform';
import { NoSnapshot } from '../shared/query-params.js';
import { atInstant } from './at-instant.js';
import { EventStream, type StreamMessage } from './event-stream.js';
import { LiveStreamSlots } from './live-stream-slots.js';
import { ProjectionChangesFeed } from './projection-changes.feed.js';

/** The live stream's query: its token (read by the auth guard) and nothing else. */
class LiveQuery {
  @ApiPropertyOptional({
    description:
      'the bearer token, for EventSource clients that cannot send an Authorization header',
  })
  @IsOptional()
  @IsString()
  access_token?: string;

  @NoSnapshot('the live stream follows the present')
  snapshot?: never;
}

@ApiTags('queries')
@Controller('events')
export class LiveController {
  private readonly logger = new Logger('LiveStream');

  constructor(
    private readonly feed: ProjectionChangesFeed,
    private readonly slots: LiveStreamSlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One message per committed projection batch: which read model changed, up to which position. The
   * first message, `ready`, says the stream is listening: a page that reads after it misses nothing,
   * since any later change is notified (reading before it races the subscription).
   */
  @Get('live')
  @QueryToken()
  @ApiOperation({ summary: 'Server-sent events: one message per projected change' })
  @ApiOkResponse({
    description:
      'one `projection` message per committed projection batch; `ready` first (`{ heartbeatMs }`), and a `heartbeat` message every heartbeatMs',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    ...problemResponse(503),
    status: 503,
    description:
      'every live stream this server keeps is in use (LIVE_STREAMS_MAX), or the database is unavailable; retry after Retry-After',
  })
  live(
    @Query() _query: LiveQuery,
    @TokenUsableUntil() until: number,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): void {
    const stream = new EventStream(
      response,
      this.config.liveStreamBuffer,
      (buffered) => {
        countLiveStreamStopped('not_reading');
        this.logger.warn(
          `ended a live stream whose client does not read: ${buffered} bytes waiting for it (LIVE_STREAM_BUFFER ${this.config.liveStreamBuffer})`,
        );
      },
      this.config.liveStreamHeartbeatMs,
    );
    // Express answers HEAD with this GET route: a HEAD gets the headers and holds no slot.
    if (request.method === 'HEAD') return stream.head();
    const release = this.slots.take(); // a 503 problem when every slot is taken
    stream.open(request);
    const subscription = this.messages(until).subscribe({
      next: (message) => stream.send(message),
      complete: () => stream.end(),
      error: () => stream.end(),
    });
    // Whoever ends the stream (the client leaving, the server ending it, its token expiring, the
    // shutdown), the slot and the subscription go with the connection.
    const close = () => {
      subscription.unsubscribe();
      release();
    };
    if (response.destroyed) close();
    else response.once('close', close);
  }

  private messages(until: number): Observable<StreamMessage> {
    const changes = this.feed.changes.pipe(
      map((change) => ({
        type: 'projection',
        id: `${change.projection}:${change.position}`,
        data: { ...change, position: Number(change.position) },
      })),
    );
    // merge subscribes to the changes first, so `ready` follows the LISTEN it reports; it comes again
    // when LISTEN is back after the database went away, and the page reads again what it missed.
    // It says how often a heartbeat comes, so that the page knows when the stream has gone silent.
    const heartbeatMs = this.config.liveStreamHeartbeatMs;
    const ready = this.feed.listens().pipe(map(() => ({ type: 'ready', data: { heartbeatMs } })));
    // The stream ends when its token would be refused: an expired token (a wall screen's, say) gets
    // no more news, and the page, reconnecting with it, is refused and says its figures are stale.
    return merge(changes, ready).pipe(takeUntil(atInstant(until)));
  }
}
