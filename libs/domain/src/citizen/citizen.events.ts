import type { Event } from '../common/event.js';

/**
 * A citizen's key is destroyed: every reference to them sealed under it reads as erased. The event
 * names only the pseudonymous subject (an HMAC of the reference under a server secret), never the
 * reference itself, which is personal data.
 */
export type CitizenDataErased = Event<'CitizenDataErased', { subjectId: string }>;

export type CitizenEvent = CitizenDataErased;

/** One stream per citizen subject (`citizen-<hmac>` already reads as a stream name). */
export const citizenStreamId = (subjectId: string): string => subjectId;
