// Completions of one group drawn in the samples panel's visual language: a signed
// advantage bar, reward-component chips, token count, a truncated badge, and a zero-std
// marker when every reward is equal (no learning signal). Sorted by reward, best first.
// Every string from a model goes in through textContent (visibleText shows hidden
// characters). Used by the playground, which also imports groupCards.css (kept out of
// this module so that its pure parts load in plain Node for unit tests).
import { h } from './dom';
import { formatNumber, visibleText } from './text';

export interface CardCompletion {
  text: string;
  reward?: number;
  rewards?: Record<string, number>;
  advantage?: number;
  numTokens?: number;
  truncated: boolean;
}

/** True when the group has rewards and they are all equal: every advantage is 0. */
export function isZeroStd(completions: CardCompletion[]): boolean {
  const rewards = completions.map((c) => c.reward);
  if (rewards.length < 2 || rewards.some((r) => r === undefined)) return false;
  return rewards.every((r) => r === rewards[0]);
}

/** Indices of the completions, best reward first (unscored last, then in order). */
export function byReward(completions: CardCompletion[]): number[] {
  const key = (i: number) => completions[i].reward ?? -Infinity;
  return completions.map((_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
}

export function advantageBar(advantage: number | undefined, maxAbs: number): HTMLElement {
  const a = advantage ?? 0;
  const width = maxAbs > 0 ? Math.min(50, (Math.abs(a) / maxAbs) * 50) : 0;
  const fill = h('span', { className: `adv-fill ${a >= 0 ? 'pos' : 'neg'}` });
  fill.style.width = `${width}%`; // CSSOM, which the webview's CSP allows
  fill.style.left = a >= 0 ? '50%' : `${50 - width}%`;
  const label = advantage === undefined ? 'A –' : `A ${a >= 0 ? '+' : ''}${formatNumber(a, 2)}`;
  return h('span', { className: 'advantage', title: `advantage ${advantage ?? 'unknown'}` }, [
    h('span', { className: 'track' }, [h('span', { className: 'zero' }), fill]),
    h('span', { className: 'num', text: label }),
  ]);
}

/** The group's badges: mean ± std, and the zero-std marker. */
export function groupBadges(completions: CardCompletion[], mean?: number, std?: number): HTMLElement {
  const zero = isZeroStd(completions);
  return h('span', { className: 'badges' }, [
    h('span', {
      className: 'chip stat',
      text: mean === undefined ? 'unscored' : `mean ${formatNumber(mean)} · std ${formatNumber(std ?? 0)}`,
    }),
    h('span', { className: 'chip', text: `G ${completions.length}` }),
    zero
      ? h('span', {
          className: 'badge zero-std',
          text: 'zero std',
          title: 'All completions got the same reward: no learning signal',
        })
      : undefined,
  ]);
}

/** One card per completion, sorted by reward; data-index holds the completion's index. */
export function completionCards(completions: CardCompletion[]): HTMLElement[] {
  const maxAbs = Math.max(0, ...completions.map((c) => Math.abs(c.advantage ?? 0)));
  return byReward(completions).map((i, rank) => {
    const c = completions[i];
    const chips = Object.entries(c.rewards ?? {}).map(([k, v]) =>
      h('span', { className: 'chip component', text: `${k} ${formatNumber(v, 2)}` }),
    );
    const meta = h('div', { className: 'meta' }, [
      h('span', { className: 'rank', text: `#${rank + 1}` }),
      h('span', {
        className: 'reward',
        text: c.reward === undefined ? 'reward –' : `reward ${formatNumber(c.reward)}`,
      }),
      advantageBar(c.advantage, maxAbs),
      h('span', { className: 'chips' }, chips),
      c.numTokens !== undefined ? h('span', { className: 'len', text: `${c.numTokens} tok` }) : undefined,
      c.truncated
        ? h('span', {
            className: 'badge truncated',
            text: 'truncated',
            title: 'Cut by max tokens before EOS',
          })
        : undefined,
    ]);
    return h('div', { className: 'completion', attrs: { 'data-index': String(i) } }, [
      meta,
      h('pre', { className: 'text', text: c.text ? visibleText(c.text) : '(empty)' }),
    ]);
  });
}
