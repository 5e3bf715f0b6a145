import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, metricsRegistry } from '#platform';

@ApiTags('operations')
@Controller()
export class MetricsController {
  /** Prometheus text format; public so that a scraper needs no token. */
  @Public()
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
