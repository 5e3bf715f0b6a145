import { Logger } from '@nestjs/common';
import { readableEvent, reportOddSchemaOnce } from '#domain';
import type { RecordedEvent } from '#event-store';

const onOdd = reportOddSchemaOnce((message) => new Logger('Commands').warn(message));

/**
 * A stored event as the write side folds, decides and builds its directory from it (#domain
 * readableEvent): in the current shape of its type, or null when no fold can use it (data not an
 * object, a key field missing), which the reader passes over, its position or stream version still
 * counted. Odd events are logged once per type and reason, without their data.
 */
export const currentEvent = (event: RecordedEvent): RecordedEvent | null =>
  readableEvent(event, onOdd);
