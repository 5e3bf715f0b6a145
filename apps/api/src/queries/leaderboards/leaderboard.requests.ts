import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { memberMetrics, unitMetrics, type MemberMetric, type UnitMetric } from '#projections';
import { OptionalId, PageLimit, PeriodQuery, ReadQuery } from '../shared/query-params.js';

export class MemberLeaderboardRequest extends PeriodQuery {
  @ApiPropertyOptional({ enum: memberMetrics, default: 'verifiedHours' })
  @IsOptional()
  @IsIn(memberMetrics, { message: `metric must be one of ${memberMetrics.join(', ')}` })
  metric?: MemberMetric;

  @OptionalId()
  campaignId?: string;

  @OptionalId("Only members of this unit's subtree")
  unitId?: string;

  @PageLimit(20)
  limit?: number;
}

export class UnitLeaderboardRequest extends ReadQuery {
  @ApiPropertyOptional({ enum: unitMetrics, default: 'citizensAssisted' })
  @IsOptional()
  @IsIn(unitMetrics, { message: `metric must be one of ${unitMetrics.join(', ')}` })
  metric?: UnitMetric;

  @OptionalId(
    'Rank the direct children of this unit (root units when absent), each over its whole subtree',
  )
  parentId?: string;

  @PageLimit(20)
  limit?: number;
}
