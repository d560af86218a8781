// The URI of a completion opened for inspection:
//   grpo-lens-completion:/<run name>/step-40/group-2/completion-3.txt?<encoded JSON of the address>
// The readable path names the editor tab; the query carries the run id exactly. Pure.

import { completionNumber } from '../contract/completionNumber';

export const COMPLETION_SCHEME = 'grpo-lens-completion';

export interface CompletionAddress {
  runId: string;
  step: number;
  group: number;
  index: number;
}

function safe(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'run';
}

export function completionPath(runName: string, a: CompletionAddress): string {
  return `/${safe(runName)}/step-${a.step}/group-${a.group}/completion-${completionNumber(a.index)}.txt`;
}

export function encodeAddress(a: CompletionAddress): string {
  return JSON.stringify({ runId: a.runId, step: a.step, group: a.group, index: a.index });
}

export function decodeAddress(query: string): CompletionAddress | undefined {
  try {
    const o = JSON.parse(query) as Partial<CompletionAddress>;
    const ok = typeof o.runId === 'string' && [o.step, o.group, o.index].every((n) => Number.isInteger(n));
    return ok ? (o as CompletionAddress) : undefined;
  } catch {
    return undefined;
  }
}
