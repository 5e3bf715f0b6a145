import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validationFailed, type FieldError } from './problem.js';

/** Flattens class-validator's tree into `{ field, message }`, naming nested fields with dots. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // forbidNonWhitelisted says "property x should not exist": keep it, it names the field
      out.push({ field, message });
    }
    if (error.children?.length) out.push(...fieldErrors(error.children, field));
  }
  return out;
}

/** Where `value` holds a string with a NUL character, as field paths under `path`. */
function nulFields(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || '(value)'] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    nulFields(item, path ? `${path}.${key}` : key),
  );
}

/**
 * Two refusals before the DTO's own rules. PostgreSQL stores no NUL character (U+0000) in text or
 * jsonb, so one in a body, a query or a path would fail deep in a write or a read as a 500: it is a bad
 * request, named as such. And a body DTO describes an object: an array would otherwise be validated
 * element by element and answered with errors for fields "0", "1", … instead of saying what is wrong.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const withNul =
      metadata.type === 'custom'
        ? []
        : nulFields(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (withNul.length) {
      throw validationFailed(
        withNul.map((field) => ({
          field,
          message: 'must not contain the NUL character (\\u0000)',
        })),
      );
    }
    // undefined: no body at all, which actions without fields (close, verify, erase) are sent with
    if (
      metadata.type === 'body' &&
      metadata.metatype &&
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw validationFailed(
        [{ field: '(body)', message: 'the request body must be a JSON object' }],
        'The request body must be a JSON object.',
      );
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields refused, payloads turned into their DTO classes, every failure a 400 with errors[]. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
}
