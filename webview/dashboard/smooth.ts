// Exponential moving average as TensorBoard draws it: debiased at the start, gaps kept.
// weight 0 = raw values, 0.99 = very smooth. Pure.
export function ema(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values;
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
