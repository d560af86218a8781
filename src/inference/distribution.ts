// Pure math over one next-token distribution (a row of logits). Computed in float64 so
// that log-probs agree with PyTorch's float32 log_softmax well within 1e-4.

export interface Ranked {
  id: number;
  prob: number;
}

/** log_softmax(logits / temperature). */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    out[i] = logits[i] / temperature;
    if (out[i] > max) max = out[i];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(out[i] - max);
  const logZ = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[i] -= logZ;
  return out;
}

/** Entropy in nats of the distribution whose log-probs are given. */
export function entropy(logp: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < logp.length; i++) {
    const p = Math.exp(logp[i]);
    if (p > 0) h -= p * logp[i];
  }
  return h;
}

/** The k most probable ids, most probable first (ties by lower id). One pass: vocabularies can be 150k wide. */
export function topK(logp: ArrayLike<number>, k: number): Ranked[] {
  const best: number[] = [];
  for (let id = 0; id < logp.length && k > 0; id++) {
    if (best.length === k && logp[id] <= logp[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && logp[best[at - 1]] < logp[id]) at--;
    best.splice(at, 0, id);
    if (best.length > k) best.pop();
  }
  return best.map((id) => ({ id, prob: Math.exp(logp[id]) }));
}

/** Row `position` of a [seq, vocab] block starting at `offset` in a flat logits tensor. */
export function row(data: Float32Array, offset: number, position: number, vocab: number): Float32Array {
  const start = offset + position * vocab;
  return data.subarray(start, start + vocab);
}

export interface RowSummary {
  /** log-prob of `token` under softmax(logits / temperature). */
  logprob: number;
  entropy: number;
  top: Ranked[];
}

/**
 * logprob of one token, entropy and top-k of softmax(logits / T) in two passes with one
 * exp per entry and no allocation: a 150k-wide vocabulary row costs about a millisecond.
 *   logZ = m + ln S,  S = sum e^(z - m),  H = logZ - sum e^(z - m) z / S
 */
export function summarizeRow(
  logits: ArrayLike<number>,
  token: number,
  k: number,
  temperature = 1,
): RowSummary {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const m = max / temperature;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] / temperature;
    const e = Math.exp(z - m);
    sum += e;
    weighted += e * z;
  }
  const logZ = m + Math.log(sum);
  const top = topK(logits, k).map(({ id }) => ({ id, prob: Math.exp(logits[id] / temperature - logZ) }));
  return { logprob: logits[token] / temperature - logZ, entropy: logZ - weighted / sum, top };
}
