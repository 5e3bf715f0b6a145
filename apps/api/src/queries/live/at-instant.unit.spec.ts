import { atInstant } from './at-instant.js';

describe('an observable that emits at an instant', () => {
  it('emits at a near instant, and not soon for one beyond what setTimeout can wait', async () => {
    // given one instant 50 ms away and one 90 days away (setTimeout holds 24.8 days at most)
    const fired: string[] = [];
    const near = atInstant(Date.now() + 50).subscribe(() => fired.push('near'));
    const far = atInstant(Date.now() + 90 * 86_400_000).subscribe(() => fired.push('far'));
    // when 300 ms have passed
    await new Promise((resolve) => setTimeout(resolve, 300));
    near.unsubscribe();
    far.unsubscribe();
    // then only the near one has emitted
    expect(fired).toEqual(['near']);
  });
});
