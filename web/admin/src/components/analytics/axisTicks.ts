/** The value axis of a chart of counts: whole numbers only, from zero. */
export interface IntegerAxis {
  /** The top of the axis: the last tick, at least the data's maximum and at least 1. */
  max: number;
  /** 0, step, 2·step … max; every one a whole number. */
  ticks: number[];
}

/**
 * Ticks for counts: a step of 1, 2 or 5 × 10ⁿ (never below 1, so never "0.5 views"), as few
 * steps as keep at most `maxTicks` ticks, starting at zero. All zeros give the axis 0–1.
 */
export function integerAxis(dataMax: number, maxTicks = 5): IntegerAxis {
  const top = Math.max(1, Math.ceil(Number.isFinite(dataMax) ? dataMax : 0));
  const intervals = Math.max(1, maxTicks - 1);
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const found = [1, 2, 5].find((factor) => Math.ceil(top / (factor * power)) <= intervals);
    if (found !== undefined) {
      step = found * power;
      break;
    }
  }
  const max = Math.ceil(top / step) * step;
  return { max, ticks: Array.from({ length: max / step + 1 }, (_, i) => i * step) };
}
