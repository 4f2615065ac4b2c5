import { describe, expect, it } from 'vitest';
import { activeClock } from './activeClock';

describe('activeClock', () => {
  it('counts working time and caps a pause at the longest gap', () => {
    let t = 1_000;
    const clock = activeClock(500, 60_000, () => t);
    t += 800;
    clock.tick();
    expect(clock.ms).toBe(1_300);
    t += 30 * 60_000; // stopped for half an hour
    clock.tick();
    expect(clock.ms).toBe(1_300 + 60_000);
    t += 700;
    expect(clock.ms).toBe(1_300 + 60_000 + 700);
    clock.tick();
    t += 10 * 60_000;
    expect(clock.ms).toBe(1_300 + 60_000 + 700 + 60_000);
  });
});
