import { IsString } from 'class-validator';
import { createValidationPipe } from './validation.js';
import type { ProblemException } from './problem.js';

class UnitBody {
  @IsString() name!: string;
}

// A request's unknown fields are refused by name (API.md: "anything else is refused with 400 naming
// the field"). class-transformer never copies `__proto__` or `constructor` onto the DTO, so the
// whitelist never saw them: they were dropped in silence while any other unknown field was refused.
describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = (value: unknown) =>
    pipe.transform(value, { type: 'body', metatype: UnitBody, data: undefined });
  const refusal = async (value: unknown) =>
    body(value).then(
      () => undefined,
      (error: ProblemException) => ({ status: error.status, errors: error.errors }),
    );

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a body field named %s, naming it, like any unknown field',
    async (key) => {
      // given a body that parsed from JSON with that key as its own property
      const value = JSON.parse(`{"name":"a","${key}":{"polluted":true}}`);
      // when it is validated, then it is refused with 400 naming the field
      expect(await refusal(value)).toEqual({
        status: 400,
        errors: [{ field: key, message: `property ${key} should not exist` }],
      });
    },
  );

  it('names such a key by its path when it is nested', async () => {
    const value = JSON.parse('{"name":"a","extra":{"__proto__":{}}}');
    expect((await refusal(value))?.errors).toContainEqual({
      field: 'extra.__proto__',
      message: 'property __proto__ should not exist',
    });
  });

  it('lets a body of known fields through as its DTO', async () => {
    expect(await body({ name: 'a' })).toBeInstanceOf(UnitBody);
  });
});
