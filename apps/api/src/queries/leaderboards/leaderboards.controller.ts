import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { memberLeaderboard, READS, unitLeaderboard } from '#projections';
import { resolvePeriod } from '../shared/query-params.js';
import { ReadModels, positionOf } from '../shared/read-models.service.js';
import { MemberLeaderboardRequest, UnitLeaderboardRequest } from './leaderboard.requests.js';

@ApiTags('queries')
@Controller('leaderboards')
export class LeaderboardsController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('members')
  @ApiOperation({ summary: 'Members by verified hours or citizens assisted; ties share a rank (1, 2, 2, 4)' })
  async members(@Query() q: MemberLeaderboardRequest) {
    const period = resolvePeriod(q);
    const model = await this.readModels.open(READS.leaderboards, q.minPosition);
    const metric = q.metric ?? 'verifiedHours';
    const entries = await memberLeaderboard(this.readModels.pool, model.schema, {
      metric, campaignId: q.campaignId, unitId: q.unitId, ...period, limit: q.limit ?? 20,
    });
    return {
      metric,
      entries: entries.map(({ rank, memberId, displayName, unitId, value }) => ({ rank, memberId, displayName, unitId, value })),
      position: positionOf(model),
    };
  }

  @Get('units')
  @ApiOperation({ summary: 'Sibling units (children of parentId, or the roots) by citizens assisted, clubs or posts over their subtree' })
  async units(@Query() q: UnitLeaderboardRequest) {
    const model = await this.readModels.open(READS.leaderboards, q.minPosition);
    const metric = q.metric ?? 'citizensAssisted';
    const entries = await unitLeaderboard(this.readModels.pool, model.schema, { metric, parentId: q.parentId, limit: q.limit ?? 20 });
    return { metric, entries, position: positionOf(model) };
  }
}
