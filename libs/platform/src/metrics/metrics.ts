import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';
import type { HttpRequest, HttpResponse, NextFunction } from '../errors/http-types.js';
import { joinClusterMetrics } from './cluster-metrics.js';

/**
 * Everything goes to prom-client's default registry, which `/metrics` serves; other modules register
 * their own metrics there. Registration is once per process (tests build several apps in one).
 */
let httpDuration: Histogram<'method' | 'route' | 'status'> | undefined;
let parserRefusals: Counter<'status'> | undefined;
let liveStreamsOpen: Gauge | undefined;
let liveStreamsStopped: Counter<'reason'> | undefined;
let connectionsRefused: Counter | undefined;

export function initMetrics(): void {
  if (httpDuration) return;
  collectDefaultMetrics();
  joinClusterMetrics();
  httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, matched route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  parserRefusals = new Counter({
    name: 'http_parser_refusals_total',
    help: 'Requests refused by the HTTP parser before any route (431 headers too large, 400, 408)',
    labelNames: ['status'],
  });
  liveStreamsOpen = new Gauge({
    name: 'live_streams_open',
    help: 'Live streams (/events/live) open now (LIVE_STREAMS_MAX per process)',
  });
  liveStreamsStopped = new Counter({
    name: 'live_streams_stopped_total',
    help: 'Live streams refused at LIVE_STREAMS_MAX (refused), or ended because their client did not read (not_reading)',
    labelNames: ['reason'],
  });
  connectionsRefused = new Counter({
    name: 'http_connections_refused_total',
    help: 'Connections closed on accept at HTTP_MAX_CONNECTIONS',
  });
}

/** A live stream opened (+1) or closed (-1). */
export function countLiveStreams(change: 1 | -1): void {
  liveStreamsOpen?.inc(change);
}

/** A live stream refused (every slot taken) or ended by the server (its client did not read). */
export function countLiveStreamStopped(reason: 'refused' | 'not_reading'): void {
  liveStreamsStopped?.inc({ reason });
}

/** A connection closed on accept, the process holding as many as it takes. */
export function countConnectionRefused(): void {
  connectionsRefused?.inc();
}

/** Counts a request the HTTP parser refused (answerClientError): it has no route nor duration. */
export function countParserRefusal(status: number): void {
  parserRefusals?.inc({ status: String(status) });
}

/**
 * HTTP's own methods (RFC 9110, and PATCH). Node's parser takes some thirty more (WebDAV's PROPFIND,
 * MKCOL, LOCK…, UPnP's M-SEARCH, SUBSCRIBE…), none of which the API serves: as label values they gave
 * whoever sent them a set of series each (answered 404) in every scrape. They count as `other`.
 */
const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

export function httpMetricsMiddleware(
  request: HttpRequest,
  response: HttpResponse,
  next: NextFunction,
): void {
  const end = httpDuration?.startTimer();
  response.on('finish', () => {
    // The matched route pattern, never the raw URL: ids in paths would explode the label set.
    end?.({
      method: METHODS.has(request.method) ? request.method : 'other',
      route: request.route?.path ?? 'unmatched',
      status: String(response.statusCode),
    });
  });
  next();
}

export const metricsRegistry = register;
