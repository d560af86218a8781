// The text of an inspected completion: a header of `#` lines (prompt, reference, reward
// breakdown, advantage), a rule, then the completion exactly as logged. Pure.
import { completionNumber } from '../contract/completionNumber';
import type { Completion, SampleGroup } from '../runs/model';
import { shotLines } from './trajectory';

export const RULE = '# ' + '─'.repeat(60);
const PROMPT_LINES = 12;

export interface CompletionDocument {
  text: string;
  /** Offset of the completion's first character in `text`. */
  bodyOffset: number;
  /** Number of lines before the completion. */
  headerLines: number;
  hasTokens: boolean;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(4))) : String(v);
}

function commentLines(label: string, text: string, max: number): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const shown = lines
    .slice(0, max)
    .map((l, i) => `# ${i === 0 ? label : ' '.repeat(label.length)}${l.slice(0, 400)}`);
  if (lines.length > max) shown.push(`#   … ${lines.length - max} more lines`);
  return shown;
}

export function hasTokenData(c: Completion): boolean {
  return Array.isArray(c.tokens) && c.tokens.length > 0 && Array.isArray(c.logprobs);
}

export function renderCompletionDocument(
  runName: string,
  group: SampleGroup,
  index: number,
): CompletionDocument {
  const c = group.completions[index];
  const parts = Object.entries(c.rewards ?? {}).map(([k, v]) => `${k} ${fmt(v)}`);
  const sign = c.advantage >= 0 ? '+' : '';
  const flags = [
    typeof c.num_tokens === 'number' && Number.isFinite(c.num_tokens) ? `${c.num_tokens} tokens` : '',
    c.truncated ? 'truncated' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const computed = c.advantage_computed ? ' (computed by GRPO Lens: not logged by the trainer)' : '';
  const header = [
    `# GRPO Lens · ${runName} · step ${group.step} · group ${group.group} · completion ${completionNumber(index)} of ${group.completions.length}`,
    `# reward ${fmt(c.reward)}${parts.length ? ` (${parts.join(', ')})` : ''} · advantage ${sign}${fmt(c.advantage)}${computed}${flags ? ` · ${flags}` : ''}`,
    ...commentLines('prompt:    ', String(group.prompt ?? ''), PROMPT_LINES),
    ...(group.reference !== undefined ? commentLines('reference: ', String(group.reference), 4) : []),
    ...shotLines(c),
    hasTokenData(c)
      ? '# tokens coloured by the chosen measure (GRPO: Choose Token Measure); hover a token for its measures'
      : '# no token data was logged for this completion (token log-probs are logged by GRPO Lens’s own trainer only): shown as plain text',
    RULE,
  ];
  const head = header.join('\n') + '\n';
  return {
    text: head + String(c.text ?? ''),
    bodyOffset: head.length,
    headerLines: header.length,
    hasTokens: hasTokenData(c),
  };
}
