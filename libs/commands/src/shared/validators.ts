import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsOptional,
  Matches,
  ValidateBy,
  buildMessage,
  type ValidationOptions,
} from 'class-validator';
import { DateTime, IANAZone } from 'luxon';

// Shapes of API.md "General". A bare local date-time is refused: read in whatever zone the server
// runs in, it would be a guess.
const instantPattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** Ids become part of stream names (`shift-<id>`): letters, digits and a few separators. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** The optional `id` of a creation: the new aggregate's id, which is also the command id. */
export const CreationId = (aggregate: string) =>
  applyDecorators(
    ApiPropertyOptional({
      description: `Client-chosen ${aggregate} id (also the command id); generated when absent.`,
    }),
    IsOptional(),
    Matches(idPattern, { message: 'id must be 1-100 letters, digits, ".", "_", ":" or "-"' }),
  );

/** A required reference to a unit. */
export const UnitIdField = () =>
  applyDecorators(ApiProperty(), Matches(idPattern, { message: 'unitId must be a unit id' }));

export const IsInstant = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) =>
          typeof value === 'string' &&
          instantPattern.test(value) &&
          DateTime.fromISO(value, { setZone: true }).isValid,
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an ISO 8601 instant with an offset, e.g. 2025-08-09T07:30:00+07:00`,
          options,
        ),
      },
    },
    options,
  );

export const IsLocalDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value) =>
          typeof value === 'string' &&
          datePattern.test(value) &&
          DateTime.fromISO(value, { zone: 'utc' }).isValid,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a date YYYY-MM-DD`,
          options,
        ),
      },
    },
    options,
  );

/** `HH:mm`; `24:00` too when `endOfDay` (a daily window that reaches midnight). */
export const IsLocalTime = (endOfDay = false, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isLocalTime',
      validator: {
        validate: (value) =>
          typeof value === 'string' && (timePattern.test(value) || (endOfDay && value === '24:00')),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a time of day HH:mm${endOfDay ? ' (or 24:00)' : ''}`,
          options,
        ),
      },
    },
    options,
  );

export const IsTimezone = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isTimezone',
      validator: {
        validate: (value) => typeof value === 'string' && IANAZone.isValidZone(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an IANA time zone, e.g. Asia/Ho_Chi_Minh`,
          options,
        ),
      },
    },
    options,
  );
