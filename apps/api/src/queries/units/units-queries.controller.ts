import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '#platform';
import { postingCadence, READS, unitSummary } from '#projections';
import { ReadQuery } from '../shared/query-params.js';
import { ReadModels, positionOf } from '../shared/read-models.service.js';

@ApiTags('queries')
@Controller('units')
export class UnitsQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get(':id/summary')
  @ApiOperation({ summary: "A unit's figures over its whole subtree" })
  async summary(@Param('id') id: string, @Query() q: ReadQuery) {
    const model = await this.readModels.open(READS.unitRollups, q.minPosition);
    const summary = await unitSummary(this.readModels.pool, model.schema, id);
    if (!summary) throw notFound(`unit ${id} is unknown (or not projected yet)`);
    const { kind: _kind, parentId: _parent, ...figures } = summary;
    return { ...figures, position: positionOf(model) };
  }

  @Get(':id/cadence')
  @ApiOperation({ summary: 'Posting cadence per channel: good-news days, beautiful-story weeks, streaks (an extension of API.md)' })
  async cadence(@Param('id') id: string, @Query() q: ReadQuery) {
    const model = await this.readModels.open(READS.postingCadence, q.minPosition);
    const channels = await postingCadence(this.readModels.pool, model.schema, id);
    return { unitId: id, timezone: 'Asia/Ho_Chi_Minh', channels, position: positionOf(model) };
  }
}
