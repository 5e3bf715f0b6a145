import type { Decider } from '../common/decider.js';
import { foldEvents } from '../common/decider.js';
import type { DomainError } from '../common/errors.js';

type DomainErrorClass = abstract new (code: string, message: string) => DomainError;

/**
 * Given/when/then for deciders, without mocks: `given` past events, `when` a command (with the
 * context the handler would pass, merged over `baseContext`), `then` the expected new events or
 * `thenThrows` the expected refusal. Uses Jest's global `expect`, so it lives outside `src/index.ts`.
 */
export function deciderSpec<Command, Event, State, Context>(
  decider: Decider<Command, Event, State, Context>,
  baseContext: Context,
) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command, context: Partial<Context> = {}) {
          const run = (): Event[] =>
            decider.decide(command, foldEvents(decider, events), { ...baseContext, ...context });
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            /** Returns the error so that a test can also read its message. */
            thenThrows(errorClass: DomainErrorClass, code: string): DomainError {
              let caught: unknown;
              try {
                const events = run();
                throw new Error(
                  `expected ${errorClass.name}(${code}), got events ${JSON.stringify(events)}`,
                );
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(errorClass);
              expect((caught as DomainError).code).toBe(code);
              expect((caught as DomainError).message).not.toBe('');
              return caught as DomainError;
            },
          };
        },
      };
    },
  };
}
