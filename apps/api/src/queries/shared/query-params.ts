import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import { IsId, domainValue } from '#commands';
import { instantProblem, localDateProblem, timezoneProblem, valuePatterns } from '#domain';
import { validationFailed } from '#platform';
import { InvalidPeriod, resolvePeriod as resolveInstants } from '#projections';

/**
 * An offset's `+` written bare in a URL: a query string reads `+` as a space, so
 * `from=2025-09-01T00:00:00+07:00` arrives as `…00:00:00 07:00`.
 */
const plusAsSpace = /T\S* \d{2}(:?\d{2})?$/;

/** An instant or a date, as the domain's value types define them (#domain values.ts). */
function instantOrDateProblem(value: unknown): string | null {
  if (typeof value === 'string' && !value.includes('T'))
    return (
      localDateProblem(value) &&
      `must be an ISO 8601 instant with an offset or a date YYYY-MM-DD (${localDateProblem(value)})`
    );
  const problem = instantProblem(value);
  return problem && typeof value === 'string' && plusAsSpace.test(value)
    ? `${problem} (a + in a query string arrives as a space: send the offset's + as %2B)`
    : problem;
}
const IsInstantOrDate = () =>
  applyDecorators(
    domainValue('isInstantOrDate', instantOrDateProblem),
    ApiPropertyOptional({ pattern: valuePatterns.instantOrDate }),
  );

/**
 * A log position: positions are PostgreSQL bigints, so one beyond 2^63 − 1 is never reached, and
 * waiting for it would answer 504 "retry later" to a client that can only retry forever.
 */
const positionProblem = (value: unknown): string | null =>
  typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n
    ? null
    : 'must be a non-negative integer no larger than 9223372036854775807';

/** Every read accepts `minPosition` (the position a command returned) and `snapshot` (a snapshot's id). */
export class ReadQuery {
  @ApiPropertyOptional({
    description: 'Wait up to 5 s for the read model to reach this position (else 504).',
    // what positionProblem takes: a PostgreSQL bigint, in decimal digits
    type: 'integer',
    format: 'int64',
    minimum: 0,
  })
  @IsOptional()
  @domainValue('isPosition', positionProblem)
  minPosition?: string;

  @ApiPropertyOptional({
    description:
      'Answer from this snapshot of the past (POST /admin/snapshots): 404 unknown, 409 while building.',
  })
  @IsOptional()
  @IsId({ message: 'snapshot must be a snapshot id' })
  snapshot?: string;
}

/**
 * `snapshot` refused by name on a read that does not come from a read model (API.md "Snapshots"), with
 * what the route reads instead: a snapshot dropped in silence answered the present as if it were the
 * past, even for an id that names no snapshot.
 */
export const NoSnapshot = (answeredFrom: string) =>
  applyDecorators(
    ApiHideProperty(),
    IsOptional(),
    ValidateBy({
      name: 'noSnapshot',
      validator: {
        validate: () => false,
        defaultMessage: () =>
          `snapshot is not taken here: ${answeredFrom}, not from a snapshot of the read models`,
      },
    }),
  );

/**
 * The query of a route answered from the event log as it is now (a stream, its hash chain, the log's
 * key and checkpoint). `minPosition` is taken as on every read (API.md: clients send it with each read
 * after a command) and is met at once: the log holds every position a command returned. `snapshot` is
 * refused with its reason, and any other parameter by name, as on every read.
 */
export class FromLogQuery extends OmitType(ReadQuery, ['snapshot'] as const) {
  @NoSnapshot('this answer is read from the event log as it is now')
  snapshot?: never;
}

/**
 * The query of a read that reports the server's own state (projections, jobs and snapshots under
 * `/admin`, the caller's token, the metrics): it reads no read model, so `minPosition` is met at once
 * as on the log's routes, `snapshot` is refused with its reason, and any other parameter by name, as
 * on every read. These routes ignored every parameter: `/admin/projections?snapshot=s1` answered the
 * present as if it were the snapshot, and a mistyped name passed unnoticed.
 */
export class ServerStateQuery extends OmitType(ReadQuery, ['snapshot'] as const) {
  @NoSnapshot("this answer is the server's own state now")
  snapshot?: never;
}

/** `from` / `to` as instants or dates (the whole day in `tz`, Asia/Ho_Chi_Minh by default). */
export class PeriodQuery extends ReadQuery {
  @ApiPropertyOptional({
    description: 'ISO 8601 instant, or YYYY-MM-DD (from the start of that day in tz)',
  })
  @IsOptional()
  @IsInstantOrDate()
  from?: string;

  @ApiPropertyOptional({
    description:
      'ISO 8601 instant (exclusive), or YYYY-MM-DD (inclusive: up to the end of that day in tz)',
  })
  @IsOptional()
  @IsInstantOrDate()
  to?: string;

  @ApiPropertyOptional({ description: 'IANA zone dates are read in', default: 'Asia/Ho_Chi_Minh' })
  @IsOptional()
  @domainValue('isTimezone', timezoneProblem)
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

/**
 * A page size as a query string writes it: decimal digits and nothing else, from 1 to 500. This is the
 * one place a query number is read. `Number()` alone would also read `0x10` as 16, `1e1` as 10 and ` 1`
 * (`%20%201`) as 1, so a mistyped value was served as another one instead of refused. Only digits
 * become a number; anything else stays the string it was, which the check refuses naming the field.
 */
const pageLimitValue = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value;
const pageLimitProblem = (value: unknown): string | null =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 500
    ? null
    : 'must be a whole number from 1 to 500, in decimal digits';

/** A page size: a whole number from 1 to 500, `fallback` when absent (applied by the route). */
export const PageLimit = (fallback: number) =>
  applyDecorators(
    // an integer: /docs said number, and a generated client sent 457.7, which is refused
    ApiPropertyOptional({ type: 'integer', default: fallback, minimum: 1, maximum: 500 }),
    IsOptional(),
    Transform(pageLimitValue),
    domainValue('isPageLimit', pageLimitProblem),
  );

/**
 * An optional id of a list or board (`unitId`, `campaignId`, `parentId`, `after`). An empty value, as
 * a form sends an empty field (`?unitId=`), is the parameter left out: no id is empty, so taking it
 * literally would answer an empty list that looks like a real answer.
 */
export const OptionalId = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional(description === undefined ? {} : { description }),
    Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)),
    IsOptional(),
    IsString(),
  );
