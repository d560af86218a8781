// Samples of two runs side by side: at a chosen step (each run shows the step nearest it
// logged), the groups of every prompt both runs were given, one row per prompt, one column
// per run, with rewards and advantages. Model text goes in as text, hidden characters shown.
import type { CompareRunInfo, GroupView, Notification, SideBySide } from '../../src/contract/messages';
import { clear, h } from '../common/dom';
import { completionCards, groupBadges } from '../common/groupCards';
import { HostConnection } from '../common/host';
import { formatNumber, visibleText } from '../common/text';
import { registerToolkit } from '../common/toolkit';
import '../common/cards.css';
import '../common/groupCards.css';
import './sideBySide.css';

interface SideBySideState {
  runIds?: string[];
  step?: number;
}

registerToolkit();
const host = new HostConnection<SideBySideState>('sideBySide');
let runs: CompareRunInfo[] = [];
let shown: SideBySide | undefined;

const stepInput = h('input', {
  className: 'step',
  attrs: { type: 'number', min: '0', 'aria-label': 'Step' },
});
const stepsNote = h('span', { className: 'info', text: '' });
const heads = h('div', { className: 'columns heads' });
const summary = h('div', { className: 'summary info', text: 'Reading the runs…' });
const list = h('main', { className: 'rows' });
(document.getElementById('app') as HTMLElement).append(
  h('div', { className: 'bar toolbar' }, [
    h('span', { className: 'label', text: 'Step' }),
    stepInput,
    stepsNote,
  ]),
  heads,
  summary,
  list,
);

function runHead(run: CompareRunInfo, step: number | undefined): HTMLElement {
  const swatch = h('span', { className: 'swatch' });
  swatch.style.background = run.colour; // CSSOM, which the webview's CSP allows
  return h('div', { className: 'head', attrs: { 'data-run': run.runId } }, [
    swatch,
    h('span', { className: 'name', text: run.name, title: run.runId }),
    h('span', { className: 'meta', text: step === undefined ? 'no samples' : `step ${step}` }),
  ]);
}

function column(g: GroupView): HTMLElement {
  const rewards = g.completions.map((c) => c.reward);
  const mean = rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : undefined;
  return h('div', { className: 'group', attrs: { 'data-group': String(g.group) } }, [
    groupBadges(g.completions, mean, g.rewardStd),
    ...completionCards(g.completions),
  ]);
}

function render(s: SideBySide): void {
  shown = s;
  clear(heads);
  runs.forEach((r, i) => heads.appendChild(runHead(r, s.steps[i])));
  const [onlyLeft, onlyRight] = s.unmatched;
  summary.textContent =
    `${s.matched.length} prompt${s.matched.length === 1 ? '' : 's'} in both runs` +
    (onlyLeft || onlyRight ? ` · ${onlyLeft} only in the first, ${onlyRight} only in the second` : '');
  clear(list);
  for (const m of s.matched) {
    const reference = m.groups[0].reference;
    list.appendChild(
      h('section', { className: 'row' }, [
        h('pre', { className: 'prompt', text: visibleText(m.prompt) }),
        reference
          ? h('div', { className: 'reference', text: `expected: ${visibleText(reference)}` })
          : undefined,
        h('div', { className: 'columns' }, m.groups.map(column)),
      ]),
    );
  }
}

async function show(step: number): Promise<void> {
  host.saveState({ step });
  const s = await host.request('sideBySideAt', { step });
  if (Number(stepInput.value) === step) render(s);
}

function onNotification(n: Notification): void {
  if (n.type !== 'sideBySideInit') return;
  runs = n.runs;
  host.saveState({ runIds: runs.map((r) => r.runId) });
  const [a, b] = n.steps;
  stepsNote.textContent = `${runs[0]?.name ?? ''}: ${a.length} steps with samples · ${runs[1]?.name ?? ''}: ${b.length}`;
  const latest = Math.max(a[a.length - 1] ?? 0, b[b.length - 1] ?? 0);
  const step = shown ? Number(stepInput.value) : (n.step ?? host.state?.step ?? latest);
  stepInput.value = String(step);
  void show(step);
}

stepInput.addEventListener('change', () => {
  const step = Number(stepInput.value);
  if (Number.isFinite(step)) void show(Math.max(0, Math.round(step)));
});

host.ready(onNotification);
(window as unknown as { __sideBySide: unknown }).__sideBySide = { shown: () => shown, show, formatNumber };
