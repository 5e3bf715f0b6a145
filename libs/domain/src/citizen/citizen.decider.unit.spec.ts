import { Conflict } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { EraseCitizenData } from './citizen.commands.js';
import { citizenDecider } from './citizen.decider.js';
import type { CitizenDataErased } from './citizen.events.js';

const citizen = deciderSpec(citizenDecider, coordinator);
const erase: EraseCitizenData = { type: 'EraseCitizenData', data: { subjectId: 'citizen-ab12' } };
const erased: CitizenDataErased = {
  type: 'CitizenDataErased',
  data: { subjectId: 'citizen-ab12' },
};

describe('erasing a citizen’s personal data', () => {
  it('records CitizenDataErased naming only the pseudonymous subject', () => {
    citizen.given([]).when(erase).then([erased]);
  });

  it('refuses a second erasure as a conflict', () => {
    citizen.given([erased]).when(erase).thenThrows(Conflict, 'citizen_already_erased');
  });
});
