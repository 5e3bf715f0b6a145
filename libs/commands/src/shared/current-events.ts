import { Logger } from '@nestjs/common';
import { reportOddSchemaOnce, upcastEvent } from '#domain';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '#event-store';

const onOdd = reportOddSchemaOnce((message) => new Logger('Commands').warn(message));

/**
 * A stored event in the current shape of its type (#domain upcastEvent): the command side folds,
 * decides and builds its directory from this, never from an older shape. Odd events (a type or a
 * version this code does not know) are folded as stored and logged once.
 */
export const currentEvent = (event: RecordedEvent): RecordedEvent => upcastEvent(event, onOdd);

/** `store.readStream`, upcast: what every fold on the write side reads. */
export async function readCurrentStream(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  return (await store.readStream(streamId, options)).map(currentEvent);
}
