import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { isWellFormedText } from '#domain';
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

/** Deepest nesting a request value may have: the DTOs need 3; 32 leaves room and stops abuse. */
export const maxRequestDepth = 32;

type BadStrings = { deep: boolean; fields: { field: string; message: string }[] };

/**
 * Keys no request field has, which class-transformer never copies onto a DTO: the whitelist would
 * not see them, and they would be dropped in silence while any other unknown field is refused.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One walk over a request value, with its own stack rather than recursion (a body nested 10,000
 * levels deep would overflow the call stack): whether it nests deeper than `maxRequestDepth`, and the
 * strings PostgreSQL cannot store, a NUL character (U+0000) or a lone UTF-16 surrogate, and the
 * RESERVED_KEYS, named by path.
 * It stops at the depth limit, before anything else walks the value.
 */
function badStrings(value: unknown, root: string): BadStrings {
  const fields: BadStrings['fields'] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value: item, path, depth } = stack.pop()!;
    if (typeof item === 'string') {
      const field = path || '(value)';
      if (item.includes('\u0000'))
        fields.push({ field, message: 'must not contain the NUL character (\\u0000)' });
      else if (!isWellFormedText(item))
        fields.push({ field, message: 'must be valid Unicode (it holds a lone surrogate)' });
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxRequestDepth) return { deep: true, fields };
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key))
        fields.push({ field: childPath, message: `property ${key} should not exist` });
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return { deep: false, fields: fields.reverse() };
}

/** What a request body is when it is JSON but not an object (the parser lets any JSON value through). */
function notAnObject(value: unknown): string | null {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)))
    return null;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Three refusals before the DTO's own rules. A value nested deeper than `maxRequestDepth` is refused
 * before anything walks it recursively. PostgreSQL stores no NUL character (U+0000) and no lone
 * surrogate in text or jsonb, so one in a body, a query or a path would fail deep in a write or a read
 * as a 500: it is a bad request, named as such. And a body DTO describes an object: any other JSON value
 * (null, a string, a number, a boolean, an array, which the body parser lets through) gets one answer,
 * 400 validation_failed naming `(body)`, rather than errors for fields "0", "1", … of an array.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const root = metadata.type === 'body' ? '' : (metadata.data ?? '');
      const bad = badStrings(value, root);
      if (bad.deep) {
        throw validationFailed(
          [
            {
              field: root || '(body)',
              message: `must not nest deeper than ${maxRequestDepth} levels`,
            },
          ],
          `The request nests deeper than ${maxRequestDepth} levels.`,
        );
      }
      if (bad.fields.length) throw validationFailed(bad.fields);
    }
    // undefined: no body at all, which actions without fields (close, verify, erase) are sent with
    const kind = metadata.type === 'body' && metadata.metatype ? notAnObject(value) : null;
    if (kind) {
      throw validationFailed(
        [{ field: '(body)', message: 'the request body must be a JSON object' }],
        `The request body must be a JSON object, not ${kind}.`,
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
