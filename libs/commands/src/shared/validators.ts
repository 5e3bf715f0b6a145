import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  freeTextProblem,
  idPattern,
  instantProblem,
  localDateProblem,
  localTimeProblem,
  textLimits,
  timezoneProblem,
  valuePatterns,
  type TextKind,
} from '#domain';

/** What `field` must be when it is an id (idPattern), as every refusal of one says it. */
export const idRule = (field: string) =>
  `${field} must be 1-100 letters, digits, ".", "_", ":" or "-"`;

/** The optional `id` of a creation: the new aggregate's id, which is also the command id. */
export const CreationId = (aggregate: string) =>
  applyDecorators(
    ApiPropertyOptional({
      description: `Client-chosen ${aggregate} id (also the command id); generated when absent.`,
    }),
    IsOptional(),
    IsId({ message: idRule('id') }),
  );

/**
 * A field holding one object of class `type`, validated as that class. IsObject is what refuses an
 * array: ValidateNested alone checks each element of one, so `attendees: [{ members: 5 }]` passed
 * and a 201 recorded no head count at all.
 */
export const NestedObject = (type: () => new () => object) =>
  applyDecorators(IsObject(), ValidateNested(), Type(type));

/** A required reference to a unit. */
export const UnitIdField = () =>
  applyDecorators(ApiProperty(), IsId({ message: 'unitId must be a unit id' }));

/**
 * A class-validator rule that asks the domain's value types (#domain values.ts) why a value is
 * refused: the ranges are written once, there, and this only names the field. `each` checks every
 * element of an array.
 */
export function domainValue(
  name: string,
  problem: (value: unknown) => string | null,
  options?: ValidationOptions,
) {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => problem(value) === null,
        defaultMessage: (args?: ValidationArguments) => {
          // With `each`, the value here is the whole array: asked about it, a free text said "must be a
          // string" for a partner that was empty or too long. The reason is its first refused element's.
          const refused = options?.each && Array.isArray(args?.value) ? args.value : [];
          const index = refused.findIndex((element) => problem(element) !== null);
          if (index >= 0) return `${args?.property}[${index}] ${problem(refused[index])}`;
          return `${options?.each ? 'each value in ' : ''}${args?.property} ${problem(args?.value) ?? 'is invalid'}`;
        },
      },
    },
    options,
  );
}

/**
 * The gate's rule, and its pattern in /docs (valuePatterns): a property decorator of Swagger's merges
 * with the field's own `@ApiProperty`, so the field keeps its description and whether it is required.
 * Not for `each` (the pattern would then describe the array, not its elements).
 */
const documented = (
  schema: { pattern: string } | { minLength: number; maxLength: number },
  rule: PropertyDecorator,
  options?: ValidationOptions,
) => (options?.each ? rule : applyDecorators(rule, ApiProperty(schema) as PropertyDecorator));

/** An id (idPattern), refused with `options.message`; /docs shows the pattern. */
export const IsId = (options: ValidationOptions) =>
  documented({ pattern: idPattern.source }, Matches(idPattern, options));

/** ISO 8601 with an offset, years 2000–2099, offset −12:00 to +14:00. */
export const IsInstant = (options?: ValidationOptions) =>
  documented(
    { pattern: valuePatterns.instant },
    domainValue('isInstant', instantProblem, options),
    options,
  );

/** `YYYY-MM-DD`, years 2000–2099. */
export const IsLocalDate = (options?: ValidationOptions) =>
  documented(
    { pattern: valuePatterns.localDate },
    domainValue('isLocalDate', localDateProblem, options),
    options,
  );

/** `HH:mm`; `24:00` too when `endOfDay` (a daily window that reaches midnight). */
export const IsLocalTime = (endOfDay = false, options?: ValidationOptions) =>
  documented(
    { pattern: endOfDay ? valuePatterns.localTimeOrMidnight : valuePatterns.localTime },
    domainValue('isLocalTime', (value) => localTimeProblem(value, endOfDay), options),
    options,
  );

export const IsTimezone = (options?: ValidationOptions) =>
  domainValue('isTimezone', timezoneProblem, options);

/** Free text of a kind: 1 to its limit (textLimits), valid Unicode (no lone surrogate), no NUL. */
export const IsFreeText = (kind: TextKind, options?: ValidationOptions) =>
  documented(
    // JSON Schema counts characters, the gate UTF-16 code units: the same for all but emoji and
    // rarer scripts, where /docs is the looser of the two
    { minLength: 1, maxLength: textLimits[kind] },
    domainValue(`isFreeText_${kind}`, (value) => freeTextProblem(value, kind), options),
    options,
  );
