// One numbering of completions wherever a person reads it (samples panel, editor tab,
// editor header, quick pick): from 1. Indices in addresses and logs stay 0-based. Pure.
export function completionNumber(index: number): number {
  return index + 1;
}
