/**
 * Whether a series levels off: the soak's verdict on memory and handles. The first third of a run
 * is warm-up (JIT, heap growth, pools filling) and is left out; the series has reached a plateau
 * when the peak of the last third is no more than `tolerance` above the peak of the middle third.
 * A leak grows for the whole run, so its last third keeps climbing past the middle one's peak;
 * a level series only wanders within its own noise.
 */

export interface PlateauRule {
  /** How much higher the last third's peak may be, as a fraction of the middle third's (0.1 = 10 %). */
  readonly tolerance: number;
  /** An absolute allowance on top, for small counts where one more is a large fraction (handles). */
  readonly slack: number;
}

export interface PlateauVerdict {
  readonly plateau: boolean;
  /** How many samples there were; under `MIN_SAMPLES` the verdict is no plateau. */
  readonly samples: number;
  readonly middlePeak: number;
  readonly lastPeak: number;
  /** The most the last third's peak may be: the middle third's, plus the tolerance and the slack. */
  readonly allowed: number;
  /** The last third's peak over the middle third's, minus one (0.04 = 4 % higher). */
  readonly growth: number;
}

/** At least this many samples, so that each third holds at least three. */
export const MIN_SAMPLES = 9;

export const plateauOf = (values: readonly number[], rule: PlateauRule): PlateauVerdict => {
  if (values.length < MIN_SAMPLES) {
    return { plateau: false, samples: values.length, middlePeak: Number.NaN, lastPeak: Number.NaN, allowed: Number.NaN, growth: Number.NaN };
  }
  const third = Math.floor(values.length / 3);
  const middlePeak = Math.max(...values.slice(third, values.length - third));
  const lastPeak = Math.max(...values.slice(values.length - third));
  const allowed = middlePeak * (1 + rule.tolerance) + rule.slack;
  const growth = middlePeak === 0 ? (lastPeak === 0 ? 0 : Number.POSITIVE_INFINITY) : lastPeak / middlePeak - 1;
  return { plateau: lastPeak <= allowed, samples: values.length, middlePeak, lastPeak, allowed, growth };
};
