// Per-token measures of a completion, from the log-probs the trainer logged. Pure.
//   policy log-prob      logp = log pi_theta(o_t | q, o_<t)   (as sampled: the old policy)
//   reference log-prob   ref  = log pi_ref(o_t | q, o_<t)
//   KL (k3 estimator)    exp(ref - logp) - (ref - logp) - 1, the trainer's per-token KL
//   ratio                exp(logp - ref): how much more likely the policy makes the token
//                        than the reference does (> 1: the policy moved towards it)
//   moved from reference policy - reference log-prob under a chosen checkpoint (needs the
//                        inference service; see tokenDetails.ts)

export type MeasureId = 'policyLogprob' | 'referenceLogprob' | 'kl' | 'ratio' | 'movedFromReference';

export interface MeasureInfo {
  id: MeasureId;
  label: string;
  description: string;
  /** 'low' colours low values (unlikely tokens), 'high' colours high values, 'diverging' both ways from neutral. */
  scale: 'low' | 'high' | 'diverging';
  /** Bucket edges: |value| beyond edge[i] gets bucket i + 1. */
  edges: number[];
  neutral?: number;
  needsModel?: boolean;
}

export const MEASURES: MeasureInfo[] = [
  {
    id: 'policyLogprob',
    label: 'Policy log-prob',
    description: 'log π(token) as sampled; unlikely tokens are red',
    scale: 'low',
    edges: [0.5, 1.5, 3, 5],
  },
  {
    id: 'referenceLogprob',
    label: 'Reference log-prob',
    description: 'log π_ref(token); tokens the reference finds unlikely are red',
    scale: 'low',
    edges: [0.5, 1.5, 3, 5],
  },
  {
    id: 'kl',
    label: 'Per-token KL (k3)',
    description: 'exp(ref − logp) − (ref − logp) − 1',
    scale: 'high',
    edges: [0.01, 0.05, 0.2, 0.5],
  },
  {
    id: 'ratio',
    label: 'Ratio π / π_ref',
    description: 'exp(logp − ref); > 1 the policy prefers the token more than the reference',
    scale: 'diverging',
    edges: [0.1, 0.5, 1, 2],
    neutral: 0,
  },
  {
    id: 'movedFromReference',
    label: 'Moved from reference',
    description: 'log π_checkpoint − log π_ref, from the ONNX export',
    scale: 'diverging',
    edges: [0.1, 0.5, 1, 2],
    neutral: 0,
    needsModel: true,
  },
];

export function measureInfo(id: MeasureId): MeasureInfo {
  return MEASURES.find((m) => m.id === id) as MeasureInfo;
}

export interface TokenMeasures {
  policyLogprob?: number;
  referenceLogprob?: number;
  kl?: number;
  ratio?: number;
  movedFromReference?: number;
}

/** k3 estimator of KL(pi_theta || pi_ref) for one token. */
export function k3(logp: number, ref: number): number {
  const d = ref - logp;
  return Math.exp(d) - d - 1;
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function tokenMeasures(
  logprobs: unknown[] | undefined,
  refLogprobs: unknown[] | undefined,
  count: number,
): TokenMeasures[] {
  const out: TokenMeasures[] = [];
  for (let t = 0; t < count; t++) {
    const logp = finite(logprobs?.[t]);
    const ref = finite(refLogprobs?.[t]);
    const m: TokenMeasures = { policyLogprob: logp, referenceLogprob: ref };
    if (logp !== undefined && ref !== undefined) {
      m.kl = k3(logp, ref);
      m.ratio = Math.exp(logp - ref);
    }
    out.push(m);
  }
  return out;
}

/**
 * The colour bucket of a value: 0 = not coloured, 1..edges.length = stronger.
 * Diverging measures return negative buckets below neutral (ratio is compared in log space).
 */
export function bucketOf(info: MeasureInfo, value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return 0;
  let magnitude: number;
  let sign = 1;
  if (info.scale === 'low') magnitude = -value;
  else if (info.scale === 'high') magnitude = value;
  else {
    const centred = info.id === 'ratio' ? Math.log(value) : value - (info.neutral ?? 0);
    sign = centred < 0 ? -1 : 1;
    magnitude = Math.abs(centred);
  }
  let b = 0;
  for (const edge of info.edges) if (magnitude >= edge) b++;
  return sign * b;
}

export interface TokenSpan {
  start: number;
  end: number;
}

/**
 * Where each token sits in the text. Tokens normally concatenate to the text; when they
 * do not (a tokenizer that decodes differently), each is searched from the last end,
 * and a token not found gets an empty span there.
 */
export function tokenSpans(text: string, tokens: string[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let pos = 0;
  for (const token of tokens) {
    const t = typeof token === 'string' ? token : String(token);
    let at = text.startsWith(t, pos) ? pos : text.indexOf(t, pos);
    if (t.length === 0 || at < 0 || at - pos > 64) at = -1;
    if (at < 0) {
      spans.push({ start: pos, end: pos });
      continue;
    }
    spans.push({ start: at, end: at + t.length });
    pos = at + t.length;
  }
  return spans;
}

/** The token whose span holds a text offset, or -1. */
export function tokenAt(spans: TokenSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= offset) lo = mid + 1;
    else if (spans[mid].start > offset) hi = mid - 1;
    else return spans[mid].start === spans[mid].end ? -1 : mid;
  }
  return -1;
}
