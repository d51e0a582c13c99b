/** The `p`-th percentile (0-100) of `values`, nearest rank; NaN for none. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

/** The clock the harness and its WebSocket process share, in ms with sub-ms resolution. */
export const nowMs = (): number => performance.timeOrigin + performance.now();
