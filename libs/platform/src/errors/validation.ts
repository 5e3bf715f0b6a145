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

/**
 * A body DTO describes an object: an array would otherwise be validated element by element and
 * answered with errors for fields "0", "1", … instead of saying what is wrong.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // undefined: no body at all, which actions without fields (close, verify, erase) are sent with
    if (metadata.type === 'body' && metadata.metatype && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw validationFailed([{ field: '(body)', message: 'the request body must be a JSON object' }], 'The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields refused, payloads turned into their DTO classes, every failure a 400 with errors[]. */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
}
