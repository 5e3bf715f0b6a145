import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  ProblemException,
  countLiveStreamStopped,
  countLiveStreams,
  type AppConfig,
} from '#platform';

/**
 * The live streams this process keeps open, at most `LIVE_STREAMS_MAX`: each holds a socket and up to
 * `LIVE_STREAM_BUFFER` of memory for as long as its client stays, so without a cap clients could open
 * them until the process ran out of descriptors or memory. Beyond it a stream is refused with 503 and
 * Retry-After (API.md's answer while the server cannot serve), and a slot frees when a client leaves.
 */
@Injectable()
export class LiveStreamSlots {
  private open = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get count(): number {
    return this.open;
  }

  /** Takes a slot, or throws the 503; the function it returns gives the slot back (once). */
  take(): () => void {
    if (this.open >= this.config.liveStreamsMax) {
      countLiveStreamStopped('refused');
      throw new ProblemException(
        503,
        'live_streams_full',
        `This server keeps at most ${this.config.liveStreamsMax} live streams open, and all are in use; retry after Retry-After seconds.`,
      );
    }
    this.open++;
    countLiveStreams(1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.open--;
      countLiveStreams(-1);
    };
  }
}
