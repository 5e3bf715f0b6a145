import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ShiftEvent } from '#domain';
import { APP_CONFIG, PersonalDataVault, SubjectErased, type AppConfig } from '#platform';

/**
 * The citizen is the data subject of a citizen reference, so it gets a key of its own: erasing a
 * volunteer leaves the citizens they helped alone, and one citizen's key shreds every visit of theirs.
 * The subject id is keyed with a secret outside the database (AppConfig.citizenSubjectKey, kept in
 * DATA_DIR and not rotated with the JWT secret) so the log never carries a hash of the reference that
 * could be reversed by trying every ID number.
 */
@Injectable()
export class CitizenSubjects {
  private readonly pepper: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly vault: PersonalDataVault,
  ) {
    this.pepper = Buffer.from(config.citizenSubjectKey, 'base64url');
  }

  /**
   * The subject of a reference as the decider stores it, trimmed, and in Unicode's composed form
   * (NFC): the key that seals it, the erasure that destroys that key and the idempotency log's note of
   * the bodies that carried it then name the same citizen however a form or an operator spaced the
   * reference, and whichever way a keyboard wrote its letters. Vietnamese keyboards write "ễ" as one
   * character or as "ê" with a combining tilde (Unikey's "Unicode dựng sẵn" and "tổ hợp"): a citizen
   * recorded in one and erased in the other kept their key, and was sealed again when helped anew.
   */
  of(citizenRef: string): string {
    return this.subject(citizenRef.trim().normalize('NFC'));
  }

  /**
   * Every subject whose key an erasure of `citizenRef` destroys: its own, then the one a reference
   * sealed before references were composed got from the text as sent, when that differs.
   */
  erasedBy(citizenRef: string): string[] {
    const former = this.formerOf(citizenRef);
    return former === undefined ? [this.of(citizenRef)] : [this.of(citizenRef), former];
  }

  /** The subject a version before references were composed gave `citizenRef`, when it is another. */
  formerOf(citizenRef: string): string | undefined {
    const former = this.subject(citizenRef.trim());
    return former === this.of(citizenRef) ? undefined : former;
  }

  private subject(text: string): string {
    const digest = createHmac('sha256', this.pepper).update(text).digest('hex');
    return `citizen-${digest.slice(0, 32)}`;
  }

  /**
   * The event as stored: a citizen reference sealed under its citizen's key. A citizen whose data was
   * erased has no key and gets none again, so the assistance is stored without the reference: the
   * volunteer's work still counts and nothing of the citizen is kept. It is answered like any other
   * assistance; refusing it told whoever guessed an ID number that its citizen had been erased (it
   * was a 500, and a resend's answer differed between the true reference and any other).
   */
  async seal(event: ShiftEvent): Promise<ShiftEvent> {
    if (event.type !== 'CitizenAssisted' || event.data.citizenRef === null) return event;
    const sealed = await this.vault
      .seal(this.of(event.data.citizenRef), event.data.citizenRef)
      .catch((error: unknown) => {
        if (error instanceof SubjectErased) return null;
        throw error;
      });
    return { ...event, data: { ...event.data, citizenRef: sealed } } as unknown as ShiftEvent;
  }
}
