import { ProduceRequestPlanner } from '../../libs/messaging/src/relay/produce-requests.js';
import type { OutgoingMessage } from '#messaging';

const message = (key: string, n: number): OutgoingMessage => ({
  topic: 'vc.shift',
  key,
  value: JSON.stringify({ n, pad: 'x'.repeat(600) }),
  headers: { 'event-id': `e-${n}` },
});

describe('produce requests', () => {
  it('split a long run of one stream so that no partition gets more than the limit per request, keeping order', () => {
    // given 3,000 messages of ~650 bytes: a long run of one stream, then several streams interleaved
    const messages = [
      ...Array.from({ length: 2_000 }, (_, n) => message('shift-hot', n)),
      ...Array.from({ length: 1_000 }, (_, n) => message(`shift-${n % 10}`, 2_000 + n)),
    ];
    const planner = new ProduceRequestPlanner(() => 6, 300_000);

    // when they are planned into requests
    const requests = planner.plan(messages);

    // then several requests, none with more than the limit on one partition, in the original order
    expect(requests.length).toBeGreaterThan(4);
    for (const request of requests) {
      const perPartition = new Map<number, number>();
      for (const m of request.flatMap((t) => t.messages)) {
        perPartition.set(
          m.partition!,
          (perPartition.get(m.partition!) ?? 0) + String(m.value).length + 60,
        );
      }
      expect(Math.max(...perPartition.values())).toBeLessThanOrEqual(300_000);
    }
    const order = requests
      .flatMap((request) => request.flatMap((t) => t.messages))
      .map((m) => JSON.parse(String(m.value)).n);
    expect(order).toEqual(messages.map((_, n) => n));
    // and one stream always lands on one partition
    const partitions = new Set(
      requests
        .flatMap((r) => r.flatMap((t) => t.messages))
        .filter((m) => m.key === 'shift-hot')
        .map((m) => m.partition),
    );
    expect(partitions.size).toBe(1);
  });

  it('send a batch that fits as a single request', () => {
    const messages = Array.from({ length: 500 }, (_, n) => message(`shift-${n}`, n));
    expect(new ProduceRequestPlanner(() => 6, 900_000).plan(messages)).toHaveLength(1);
  });
});
