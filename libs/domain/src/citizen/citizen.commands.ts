/** Crypto-shredding of a citizen: the handler destroys the key; the event records that it happened. */
export type EraseCitizenData = Readonly<{
  type: 'EraseCitizenData';
  data: Readonly<{ subjectId: string }>;
}>;

export type CitizenCommand = EraseCitizenData;
