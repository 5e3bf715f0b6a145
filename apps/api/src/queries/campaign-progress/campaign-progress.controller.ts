import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '#platform';
import { campaignProgress, READS } from '#projections';
import { ReadModels } from '../shared/read-models.service.js';
import { ReadQuery } from '../shared/query-params.js';

@ApiTags('queries')
@Controller('campaigns')
export class CampaignProgressController {
  constructor(private readonly readModels: ReadModels) {}

  @Get(':id/progress')
  @ApiOperation({
    summary:
      'Campaign progress: totals, by local day (zeros included), by service type, goals, out-of-window',
  })
  @ApiOkResponse({ description: 'API.md "Queries"' })
  async progress(@Param('id') id: string, @Query() query: ReadQuery) {
    const { value: progress, stamp } = await this.readModels.read(
      READS.campaignProgress,
      query,
      ['progress', id],
      (sql, schema) => campaignProgress(sql, schema, id),
    );
    if (!progress) throw notFound(`campaign ${id} is unknown (or not projected yet)`);
    return { ...progress, ...stamp };
  }
}
