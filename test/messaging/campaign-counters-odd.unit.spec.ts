import { CampaignCounters, integrationSchema, type IntegrationMessage } from '#messaging';

let n = 0;
const message = (
  type: string,
  data: Record<string, unknown>,
  withheld?: IntegrationMessage['withheld'],
): IntegrationMessage => ({
  schema: integrationSchema,
  eventId: `e-${++n}`,
  type,
  schemaVersion: 1,
  streamId: 'any',
  streamVersion: 0,
  globalPosition: String(n),
  occurredAt: null,
  recordedAt: null,
  correlationId: null,
  data,
  ...(withheld ? { withheld } : {}),
});

const launched = message('CampaignLaunched', {
  campaignId: 'c1',
  unitId: 'u1',
  name: 'Tháng ba',
  timezone: 'Asia/Ho_Chi_Minh',
  startDate: '2025-03-01',
  endDate: '2025-03-31',
  dailyWindow: { from: '07:00', to: '22:00' },
  goals: {},
  serviceTypes: null,
});
const shift = { shiftId: 's1', memberId: 'm1', campaignId: 'c1' };
const normal = [
  launched,
  message('ShiftStarted', { ...shift, location: 'x', startedAt: '2025-03-02T08:00:00+07:00' }),
  message('CitizenAssisted', {
    ...shift,
    assistanceId: 'a1',
    serviceType: 'eid_activation',
    citizens: 3,
    occurredAt: '2025-03-02T09:00:00+07:00',
  }),
];

// The relay publishes what it can read of an event a script stored past the gate: data withheld as
// unreadable, or without the id the counters key by. The dashboard passes them over, as the campaign
// progress read model does, instead of counting a turn of shift `undefined` or a campaign `undefined`.
describe('live campaign counters meet messages they cannot key', () => {
  it('count exactly what the normal messages say', () => {
    // given the same normal messages, once alone and once with odd ones between them
    const [alone, mixed] = [new CampaignCounters(), new CampaignCounters()];
    for (const m of normal) alone.apply(m);
    const odd = [
      message('CampaignLaunched', {}, 'unreadable'),
      message('ShiftStarted', {
        memberId: 'm1',
        campaignId: 'c1',
        startedAt: '2025-03-02T10:00:00+07:00',
      }),
      message('CitizenAssisted', {
        campaignId: 'c1',
        citizens: 5,
        occurredAt: '2025-03-02T10:00:00+07:00',
      }),
      message('ShiftVerified', {}, 'too_large'),
    ];

    // when the counters apply them all
    for (const [i, m] of normal.entries()) {
      mixed.apply(m);
      mixed.apply(odd[i]!);
    }
    mixed.apply(odd[3]!);

    // then the figures and the campaigns are those of the normal messages
    expect(mixed.campaignIds()).toStrictEqual(['c1']);
    expect(mixed.figures('c1')).toEqual(alone.figures('c1'));
    expect(mixed.figures('c1')).toMatchObject({ citizensAssisted: 3, volunteerTurns: 1 });
  });
});
