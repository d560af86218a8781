// transformers writes trainer_state.json with Python's json.dumps, which writes NaN,
// Infinity and -Infinity as bare words (allow_nan=True): a diverging run's grad_norm
// is NaN. JSON.parse rejects them, so they become null here (no number is a lie).

/** A JSON string (skipped as is), or one of Python's non-finite words. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/** Parses JSON as Python's json module writes it; throws like JSON.parse on anything else. */
export function parsePythonJson(text: string): unknown {
  return JSON.parse(text.replace(TOKENS, (token) => (token.startsWith('"') ? token : 'null')));
}
