/**
 * Upcasting: events are stored once and never rewritten (the hash chain and the Merkle log cover their
 * stored bytes), yet the code that reads them changes. Each event type has a chain of pure steps, one
 * per schema version n → n + 1; reading an event applies the steps from its stored version up to the
 * current one, so every reader (command folds, projections, the relay) sees one shape per type. The
 * current version of a type is 1 + the number of its steps: the chain is the only list of versions.
 *
 * An event the chain cannot bring to the current shape is handed on as stored and reported to
 * `onOdd`, never thrown on: a version newer than this code knows (a rollback, a newer writer), a type
 * it does not know, a version below 1, or a step that failed on odd data. Consumers already read
 * stored values defensively (values.ts `stored*`), and one odd event must not stop a projection.
 */

/** What upcasting reads and writes: type, version and data; any other envelope field is carried over. */
export type VersionedEvent = Readonly<{ type: string; schemaVersion: number; data: object }>;

/** One pure step: the data of version n to the data of version n + 1. */
export type UpcastStep = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * Why an event was handed on as stored, or (`unreadable_data`, `missing_key`: events.ts
 * `readableEvent`) passed over by the consumer reading it.
 */
export type OddSchema =
  | 'unknown_type'
  | 'future_version'
  | 'invalid_version'
  | 'step_failed'
  | 'unreadable_data'
  | 'missing_key';
export type OnOddSchema = (event: VersionedEvent, reason: OddSchema) => void;

export type Upcasters<Type extends string> = Readonly<{
  /** Each type's current schema version, the one new events are appended with. */
  versions: Readonly<Record<Type, number>>;
  /** The event in the current shape of its type (the same object when it already is). */
  upcast: <E extends VersionedEvent>(event: E, onOdd?: OnOddSchema) => E;
}>;

export function upcasters<Type extends string>(
  chains: Readonly<Record<Type, readonly UpcastStep[]>>,
): Upcasters<Type> {
  const byType = new Map<string, readonly UpcastStep[]>(Object.entries(chains));
  const versions = Object.fromEntries(
    [...byType].map(([type, steps]) => [type, steps.length + 1]),
  ) as Record<Type, number>;

  function upcast<E extends VersionedEvent>(event: E, onOdd?: OnOddSchema): E {
    const steps = byType.get(event.type);
    if (!steps) {
      onOdd?.(event, 'unknown_type');
      return event;
    }
    const current = steps.length + 1;
    const stored = event.schemaVersion;
    if (stored === current) return event;
    if (!Number.isInteger(stored) || stored < 1) {
      onOdd?.(event, 'invalid_version');
      return event;
    }
    if (stored > current) {
      onOdd?.(event, 'future_version');
      return event;
    }
    let data = event.data as Readonly<Record<string, unknown>>;
    try {
      for (let version = stored; version < current; version++) data = steps[version - 1]!(data);
    } catch {
      onOdd?.(event, 'step_failed');
      return event;
    }
    return { ...event, schemaVersion: current, data };
  }

  return { versions, upcast };
}

/**
 * An `onOdd` that reports each (type, version, reason) once per process: a log of a million events
 * written by a newer version would otherwise say the same thing a million times.
 */
export function reportOddSchemaOnce(report: (message: string) => void): OnOddSchema {
  const seen = new Set<string>();
  return (event, reason) => {
    const key = `${event.type}@${event.schemaVersion}:${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    const handling =
      reason === 'unreadable_data' || reason === 'missing_key' ? 'passed over' : 'read as stored';
    report(
      `event ${event.type} schema version ${event.schemaVersion} ${handling} (${reason.replace('_', ' ')})`,
    );
  };
}
