import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimeZone, IsOptional, Matches } from 'class-validator';
import { idPattern } from '#commands';
import { validationFailed } from '#platform';
import { InvalidPeriod, resolvePeriod as resolveInstants } from '#projections';

const INSTANT_OR_DATE =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/** Every read accepts `minPosition` (the position a command returned) and `snapshot` (a snapshot's id). */
export class ReadQuery {
  @ApiPropertyOptional({
    description: 'Wait up to 5 s for the read model to reach this position (else 504).',
  })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'minPosition must be a non-negative integer' })
  minPosition?: string;

  @ApiPropertyOptional({
    description:
      'Answer from this snapshot of the past (POST /admin/snapshots): 404 unknown, 409 while building.',
  })
  @IsOptional()
  @Matches(idPattern, { message: 'snapshot must be a snapshot id' })
  snapshot?: string;
}

/** `from` / `to` as instants or dates (the whole day in `tz`, Asia/Ho_Chi_Minh by default). */
export class PeriodQuery extends ReadQuery {
  @ApiPropertyOptional({
    description: 'ISO 8601 instant, or YYYY-MM-DD (from the start of that day in tz)',
  })
  @IsOptional()
  @Matches(INSTANT_OR_DATE, {
    message: 'from must be an ISO 8601 instant with an offset or a date YYYY-MM-DD',
  })
  from?: string;

  @ApiPropertyOptional({
    description:
      'ISO 8601 instant (exclusive), or YYYY-MM-DD (inclusive: up to the end of that day in tz)',
  })
  @IsOptional()
  @Matches(INSTANT_OR_DATE, {
    message: 'to must be an ISO 8601 instant with an offset or a date YYYY-MM-DD',
  })
  to?: string;

  @ApiPropertyOptional({ description: 'IANA zone dates are read in', default: 'Asia/Ho_Chi_Minh' })
  @IsOptional()
  @IsTimeZone({ message: 'tz must be an IANA time zone such as Asia/Ho_Chi_Minh' })
  tz?: string;
}

/** The period as instants; a bad date or instant is a 400 with the field named. */
export function resolvePeriod(q: { from?: string; to?: string; tz?: string }): {
  from?: string;
  to?: string;
} {
  try {
    return resolveInstants(q);
  } catch (error) {
    if (error instanceof InvalidPeriod)
      throw validationFailed([{ field: error.field, message: error.message }]);
    throw error;
  }
}
