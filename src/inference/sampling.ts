// Pure sampling: temperature and nucleus (top-p) over one row of logits, with a seeded
// RNG so that tests and the playground's "seed" give the same completions every time.

import { logSoftmax } from './distribution';

export type Rng = () => number;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SamplingOptions {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** Keep the smallest set of tokens whose probability reaches top_p; 1 keeps all. */
  topP: number;
}

/** Probabilities after temperature and top-p, renormalised; zero outside the nucleus. */
export function nucleusProbs(
  logits: ArrayLike<number>,
  { temperature, topP }: SamplingOptions,
): Float64Array {
  const logp = logSoftmax(logits, temperature);
  const probs = logp.map(Math.exp);
  if (topP >= 1) return probs;
  const order = Array.from({ length: probs.length }, (_, i) => i).sort(
    (a, b) => probs[b] - probs[a] || a - b,
  );
  const kept = new Float64Array(probs.length);
  let mass = 0;
  for (const id of order) {
    kept[id] = probs[id];
    mass += probs[id];
    if (mass >= topP) break;
  }
  for (let i = 0; i < kept.length; i++) kept[i] /= mass;
  return kept;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** One token id drawn from the row of logits. */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  if (options.temperature <= 0) return argmax(logits);
  const probs = nucleusProbs(logits, options);
  let u = rng();
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    last = i;
    u -= probs[i];
    if (u < 0) return i;
  }
  return last; // rounding left a sliver of mass: the last kept token takes it
}
