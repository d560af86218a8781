// The playground webview: a prompt, one or two checkpoints and sampling settings; the
// result is one group per checkpoint, side by side, drawn like a training step in the
// samples panel (webview/common/groupCards.ts): sorted by reward, signed advantage bars,
// reward-component chips, token counts, truncated and zero-std badges.
import type {
  HostToPlayground,
  PlaygroundGroup,
  PlaygroundInit,
  PlaygroundResult,
  PlaygroundSettings,
  PlaygroundToHost,
} from '../../src/contract/playground';
import { completionCards, groupBadges, isZeroStd } from '../common/groupCards';
import '../common/cards.css';
import '../common/groupCards.css';
import './playground.css';

declare function acquireVsCodeApi(): { postMessage(message: PlaygroundToHost): void };
const vscode = acquireVsCodeApi();

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text; // run text never goes in as HTML
  return node;
}

function field(label: string, input: HTMLElement): HTMLLabelElement {
  const wrap = el('label', 'field');
  wrap.append(el('span', 'label', label), input);
  return wrap;
}

function numberInput(
  name: keyof PlaygroundSettings,
  value: number,
  step: string,
  min: string,
): HTMLInputElement {
  const input = el('input');
  Object.assign(input, { type: 'number', value: String(value), step, min, name });
  return input;
}

function checkpointSelect(
  init: PlaygroundInit,
  selected: string | undefined,
  allowNone: boolean,
): HTMLSelectElement {
  const select = el('select');
  if (allowNone) select.append(new Option('(none)', ''));
  for (const c of init.checkpoints) select.append(new Option(c.label, c.dir, false, c.dir === selected));
  return select;
}

const app = document.getElementById('app')!;
const status = el('div', 'status');
const results = el('div', 'groups');

function renderForm(init: PlaygroundInit): void {
  app.textContent = '';
  const prompt = el('textarea', 'prompt');
  prompt.value = init.prompt;
  prompt.rows = 2;
  const prompts = el('select');
  prompts.append(new Option('Prompts from the run…', ''));
  init.prompts.forEach((p, i) => prompts.append(new Option(p.prompt, String(i))));
  const reference = el('input');
  reference.value = init.reference ?? '';
  prompts.addEventListener('change', () => {
    const picked = init.prompts[Number(prompts.value)];
    if (picked) [prompt.value, reference.value] = [picked.prompt, picked.reference ?? ''];
  });
  const a = checkpointSelect(init, init.selected[0], false);
  const b = checkpointSelect(init, init.selected[1], true);
  const s = init.settings;
  const inputs = [
    numberInput('count', s.count, '1', '1'),
    numberInput('temperature', s.temperature, '0.1', '0'),
    numberInput('topP', s.topP, '0.05', '0.05'),
    numberInput('maxTokens', s.maxTokens, '1', '1'),
    numberInput('seed', s.seed, '1', '0'),
  ];
  const button = el('button', 'sample', 'Sample');
  button.addEventListener('click', () => {
    const settings = Object.fromEntries(
      inputs.map((i) => [i.name, Number(i.value)]),
    ) as unknown as PlaygroundSettings;
    const checkpoints = [a.value, b.value].filter(Boolean);
    vscode.postMessage({
      type: 'sample',
      prompt: prompt.value,
      reference: reference.value || undefined,
      checkpoints,
      settings,
    });
  });
  const form = el('div', 'form');
  form.append(
    field('Prompt', prompt),
    field('From the run', prompts),
    field('Reference', reference),
    field('Checkpoint', a),
    field('Compare with', b),
    ...inputs.map((i) => field(labelOf(i.name), i)),
    button,
  );
  app.append(el('h2', 'title', `Playground · ${init.runName}`), form, status, results);
}

function labelOf(name: string): string {
  return (
    {
      count: 'G',
      temperature: 'Temperature',
      topP: 'top_p',
      maxTokens: 'Max tokens',
      seed: 'Seed',
    } as Record<string, string>
  )[name];
}

function renderGroup(group: PlaygroundGroup): HTMLElement {
  const column = el('section', 'group');
  const cards = group.completions.map((c) => ({
    text: c.text,
    reward: c.reward,
    rewards: c.rewards,
    advantage: c.advantage,
    numTokens: c.tokens.length,
    truncated: !c.finished,
  }));
  const zero = isZeroStd(cards);
  if (zero) column.classList.add('is-zero-std');
  const head = el('header', 'group-head');
  head.append(
    el('span', 'checkpoint', group.checkpoint.label),
    groupBadges(cards, group.meanReward, group.rewardStd),
    el('span', 'stat dim', `${group.sampleMs} ms`),
  );
  column.append(head);
  if (group.scoreError) column.append(el('div', 'warning', group.scoreError));
  column.append(...completionCards(cards));
  return column;
}

function renderResult(result: PlaygroundResult): void {
  status.textContent = `${result.groups.length === 2 ? 'Two checkpoints' : 'One checkpoint'} on “${result.prompt}”${result.reference ? ` (reference ${result.reference})` : ''}`;
  status.className = 'status';
  results.textContent = '';
  result.groups.forEach((g) => results.append(renderGroup(g)));
}

window.addEventListener('message', (event: MessageEvent<HostToPlayground>) => {
  const m = event.data;
  if (m.type === 'init') renderForm(m.init);
  else if (m.type === 'busy') [status.textContent, status.className] = [m.message, 'status busy'];
  else if (m.type === 'result') renderResult(m.result);
  else if (m.type === 'error') [status.textContent, status.className] = [m.message, 'status error'];
});
vscode.postMessage({ type: 'ready' });
