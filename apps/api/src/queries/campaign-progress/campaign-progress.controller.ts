import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, notFound, type Actor } from '#platform';
import { campaignList, campaignProgress, ifFilterIdsKnown, READS } from '#projections';
import { ReadModels } from '../shared/read-models.service.js';
import { CAMPAIGN_LIST, CAMPAIGN_PROGRESS } from '../shared/read-schemas.js';
import { OptionalId, PageLimit, ReadQuery } from '../shared/query-params.js';

export class CampaignListRequest extends ReadQuery {
  @OptionalId(
    "Campaigns this unit takes part in: launched by it, its subtree or its ancestors (default: the token's unit)",
  )
  unitId?: string;

  @PageLimit(100)
  limit?: number;
}

@ApiTags('queries')
@Controller('campaigns')
export class CampaignProgressController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOkResponse({ schema: CAMPAIGN_LIST })
  @ApiOperation({
    summary:
      "Campaigns a unit takes part in, newest first (beyond API.md: the dashboard's campaign picker)",
  })
  async list(@Query() q: CampaignListRequest, @CurrentActor() actor: Actor) {
    const unitId = q.unitId ?? actor.unitId;
    const limit = q.limit ?? 100;
    const { value: campaigns, stamp } = await this.readModels.read(
      READS.campaignProgress,
      q,
      ['campaigns', unitId ?? null, limit],
      (sql, schema) =>
        ifFilterIdsKnown(
          sql,
          schema,
          { unitId },
          () => campaignList(sql, schema, unitId, limit),
          (list) => list.length === 0,
        ),
    );
    return { campaigns, ...stamp };
  }

  @Get(':id/progress')
  @ApiOkResponse({ schema: CAMPAIGN_PROGRESS })
  @ApiOperation({
    summary:
      'Campaign progress: totals, by local day (zeros included), by service type, goals, out-of-window',
  })
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
