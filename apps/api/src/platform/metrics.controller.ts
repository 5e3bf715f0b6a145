import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { metricsRegistry, scrapeMetrics } from '#platform';
import { ServerStateQuery } from '../queries/shared/query-params.js';

@ApiTags('operations')
@Controller()
export class MetricsController {
  /**
   * Prometheus text format. API.md leaves only /health, /docs and the dashboard page open, so the scraper
   * sends a bearer token too: any role will do, and a `viewer` token is the least it can hold. With
   * API_PROCESSES > 1 the answer covers every API process, whichever one gets the scrape.
   */
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  metrics(@Query() _query: ServerStateQuery): Promise<string> {
    return scrapeMetrics();
  }
}
