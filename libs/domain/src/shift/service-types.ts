export const serviceTypes = [
  'eid_activation',
  'public_service_account',
  'online_public_service',
  'digital_signature',
  'app_install',
  'chip_id_card',
  'party_card_replacement',
  'household_review',
  'e_payment',
  'other',
] as const;
export type ServiceType = (typeof serviceTypes)[number];
