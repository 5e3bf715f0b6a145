import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { FormClub } from './club.commands.js';
import { clubDecider } from './club.decider.js';
import type { ClubFormed } from './club.events.js';

const club = deciderSpec(clubDecider, { ...coordinator, unitExists: true });
const form = (data: Partial<FormClub['data']> = {}): FormClub => ({
  type: 'FormClub',
  data: {
    clubId: 'cds-3',
    unitId: 'ward-3',
    name: 'CLB CĐS phường 3',
    focus: ' VNeID ',
    foundedAt: '2025-03-26T08:00:00+07:00',
    foundingMembers: 12,
    ...data,
  },
});
const formed: ClubFormed = {
  type: 'ClubFormed',
  data: {
    clubId: 'cds-3',
    unitId: 'ward-3',
    name: 'CLB CĐS phường 3',
    focus: 'VNeID',
    foundedAt: '2025-03-26T08:00:00+07:00',
    foundingMembers: 12,
  },
};

describe('forming a club', () => {
  it('records ClubFormed; a blank focus becomes null', () => {
    club.given([]).when(form()).then([formed]);
    club
      .given([])
      .when(form({ focus: ' ' }))
      .then([{ ...formed, data: { ...formed.data, focus: null } }]);
  });

  it('records the name and focus composed, and refuses a focus the request gate would', () => {
    // given a name and focus typed with combining marks, and a focus holding an escape code
    const decomposed = form({
      name: formed.data.name.normalize('NFD'),
      focus: 'Chữ ký số'.normalize('NFD'),
    });
    // when formed, then both are stored composed; the escape code is refused by the domain too
    club
      .given([])
      .when(decomposed)
      .then([{ ...formed, data: { ...formed.data, focus: 'Chữ ký số' } }]);
    club
      .given([])
      .when(form({ focus: 'VNeID\u001b[2J' }))
      .thenThrows(DomainRuleViolation, 'focus_invalid');
  });

  it('refuses an unknown unit, a blank name and an id already used', () => {
    club.given([]).when(form(), { unitExists: false }).thenThrows(NotFound, 'unit_not_found');
    club
      .given([])
      .when(form({ name: '' }))
      .thenThrows(DomainRuleViolation, 'name_required');
    club.given([formed]).when(form()).thenThrows(Conflict, 'club_already_formed');
  });

  it('refuses a founding date in the future or without an offset', () => {
    club
      .given([])
      .when(form({ foundedAt: '2025-08-11T08:00:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'in_the_future');
    club
      .given([])
      .when(form({ foundedAt: '2025-03-26' }))
      .thenThrows(DomainRuleViolation, 'invalid_instant');
  });

  it('refuses a negative or fractional number of founding members', () => {
    club
      .given([])
      .when(form({ foundingMembers: -1 }))
      .thenThrows(DomainRuleViolation, 'founding_members_invalid');
    club
      .given([])
      .when(form({ foundingMembers: 2.5 }))
      .thenThrows(DomainRuleViolation, 'founding_members_invalid');
  });
});
