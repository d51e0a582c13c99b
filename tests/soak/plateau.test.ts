/** The soak's verdict on a series of samples: what levels off passes, what keeps growing fails. */
import { describe, expect, it } from 'vitest';
import { MIN_SAMPLES, plateauOf } from '../../soak/plateau.js';

const RULE = { tolerance: 0.1, slack: 0 };
/** A level series with a wobble of ±2 %, the way RSS moves between collections. */
const level = (count: number, base: number) => Array.from({ length: count }, (_, index) => base * (1 + 0.02 * Math.sin(index * 1.7)));

describe('plateauOf', () => {
  it('when a series levels off after a warm-up that climbs steeply, it is a plateau (the first third is not compared)', () => {
    const warmUp = Array.from({ length: 10 }, (_, index) => 100 + index * 8);
    const verdict = plateauOf([...warmUp, ...level(20, 180)], RULE);

    expect(verdict.plateau).toBe(true);
    expect(verdict.growth).toBeLessThan(0.1);
  });

  it('when a series grows steadily for the whole run (a leak), it is not a plateau', () => {
    const leak = Array.from({ length: 30 }, (_, index) => 100 + index * 2);

    const verdict = plateauOf(leak, RULE);

    expect(verdict).toMatchObject({ plateau: false, middlePeak: 138, lastPeak: 158 });
    expect(verdict.growth).toBeCloseTo(158 / 138 - 1);
  });

  it('when the last third steps up by more than the tolerance, it is not a plateau; by less, it is', () => {
    expect(plateauOf([...level(20, 100), ...level(10, 115)], RULE).plateau).toBe(false);
    expect(plateauOf([...level(20, 100), ...level(10, 105)], RULE).plateau).toBe(true);
  });

  it('allows the slack on top of the tolerance, for small counts that move by a few', () => {
    const handles = [...Array(20).fill(20), ...Array(10).fill(26)];

    expect(plateauOf(handles, { tolerance: 0.1, slack: 0 }).plateau).toBe(false);
    expect(plateauOf(handles, { tolerance: 0.1, slack: 5 })).toMatchObject({ plateau: true, allowed: 27 });
  });

  it(`says nothing is shown with fewer than ${MIN_SAMPLES} samples`, () => {
    const verdict = plateauOf(level(MIN_SAMPLES - 1, 100), RULE);

    expect(verdict.plateau).toBe(false);
    expect(verdict.samples).toBe(MIN_SAMPLES - 1);
    expect(plateauOf(level(MIN_SAMPLES, 100), RULE).plateau).toBe(true);
  });
});
