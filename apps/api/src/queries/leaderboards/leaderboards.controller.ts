import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalDataVault } from '#platform';
import {
  ifFilterIdsKnown,
  memberLeaderboard,
  openNames,
  READS,
  unitLeaderboard,
} from '#projections';
import { resolvePeriod } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { MEMBER_LEADERBOARD, UNIT_LEADERBOARD } from '../shared/read-schemas.js';
import { MemberLeaderboardRequest, UnitLeaderboardRequest } from './leaderboard.requests.js';

@ApiTags('queries')
@Controller('leaderboards')
export class LeaderboardsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly vault: PersonalDataVault,
  ) {}

  @Get('members')
  @ApiOkResponse({ schema: MEMBER_LEADERBOARD })
  @ApiOperation({
    summary: 'Members by verified hours or citizens assisted; ties share a rank (1, 2, 2, 4)',
  })
  async members(@Query() q: MemberLeaderboardRequest) {
    const period = resolvePeriod(q);
    const query = {
      metric: q.metric ?? 'verifiedHours',
      campaignId: q.campaignId,
      unitId: q.unitId,
      ...period,
      limit: q.limit ?? 20,
    } as const;
    const { value: entries, stamp } = await this.readModels.read(
      READS.leaderboards,
      q,
      ['members', query],
      (sql, schema) =>
        ifFilterIdsKnown(
          sql,
          schema,
          query,
          () => memberLeaderboard(sql, schema, query),
          (entries) => entries.length === 0,
        ),
    );
    return {
      metric: query.metric,
      // Opened per request, outside the shared answer: an erased member's name is gone at once.
      entries: (await openNames(entries, this.vault)).map(
        ({ rank, memberId, displayName, unitId, value }) => ({
          rank,
          memberId,
          displayName,
          unitId,
          value,
        }),
      ),
      ...stamp,
    };
  }

  @Get('units')
  @ApiOkResponse({ schema: UNIT_LEADERBOARD })
  @ApiOperation({
    summary:
      'Sibling units (children of parentId, or the roots) by citizens assisted, clubs or posts over their subtree',
  })
  async units(@Query() q: UnitLeaderboardRequest) {
    const query = {
      metric: q.metric ?? 'citizensAssisted',
      parentId: q.parentId,
      limit: q.limit ?? 20,
    } as const;
    const { value: entries, stamp } = await this.readModels.read(
      READS.leaderboards,
      q,
      ['units', query],
      (sql, schema) =>
        ifFilterIdsKnown(
          sql,
          schema,
          query,
          () => unitLeaderboard(sql, schema, query),
          (entries) => entries.length === 0,
        ),
    );
    return { metric: query.metric, entries, ...stamp };
  }
}
