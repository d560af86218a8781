// The dashboard header: run name and state, step/total, ETA, and the run-control
// buttons, which run the same commands as the palette (grpoLens.pause etc.).
import type { RunControl, RunHeader } from '../../src/contract/messages';
import { ce, h, icon, slotted } from '../common/dom';
import { formatDuration } from '../common/text';

const CONTROLS: { control: RunControl; label: string; icon: string; when: string[] }[] = [
  { control: 'pause', label: 'Pause', icon: 'debug-pause', when: ['running', 'starting'] },
  { control: 'resume', label: 'Resume', icon: 'debug-continue', when: ['paused'] },
  { control: 'checkpoint', label: 'Checkpoint', icon: 'save', when: ['running', 'paused'] },
  {
    control: 'stop',
    label: 'Stop',
    icon: 'debug-stop',
    when: ['running', 'paused', 'starting', 'checkpointing'],
  },
];

export class DashboardHeader {
  readonly el: HTMLElement;
  private readonly name = h('span', { className: 'title', text: 'Dashboard' });
  private readonly state = h('span', { className: 'badge state', text: '…' });
  private readonly source = h('span', { className: 'badge source', text: '' });
  private readonly step = h('span', { className: 'step', text: '' });
  private readonly eta = h('span', { className: 'eta', text: '' });
  private readonly error = h('div', { className: 'error', text: '' });
  private readonly buttons = new Map<RunControl, HTMLElement>();

  constructor(onControl: (control: RunControl) => void, onSamples: () => void) {
    const controls = CONTROLS.map((c) => {
      const b = ce(
        'vscode-button',
        { text: c.label, attrs: { appearance: 'secondary', 'data-control': c.control } },
        [slotted(icon(c.icon), 'start')],
      );
      b.addEventListener('click', () => onControl(c.control));
      this.buttons.set(c.control, b);
      return b;
    });
    const samples = ce('vscode-button', { text: 'Samples', attrs: { appearance: 'secondary' } }, [
      slotted(icon('list-tree'), 'start'),
    ]);
    samples.addEventListener('click', onSamples);
    this.el = h('header', { className: 'bar header' }, [
      icon('graph-line'),
      this.name,
      this.source,
      this.state,
      this.step,
      this.eta,
      h('span', { className: 'grow' }),
      ...controls,
      samples,
    ]);
    this.error.hidden = true;
  }

  get errorEl(): HTMLElement {
    return this.error;
  }

  set(header: RunHeader): void {
    // the host sends the name in visible form already (bidi overrides cannot reverse it)
    this.name.textContent = header.name;
    this.name.title = header.name;
    this.state.textContent = header.state;
    this.state.className = `badge state state-${header.state.replace(/[^a-z]/g, '')}`;
    this.step.textContent = header.totalSteps
      ? `step ${header.step} / ${header.totalSteps}`
      : `step ${header.step}`;
    this.eta.textContent = header.etaSeconds !== undefined ? `ETA ${formatDuration(header.etaSeconds)}` : '';
    this.source.textContent = header.source ?? '';
    this.source.hidden = !header.source;
    const said = [header.error, ...(header.problems ?? []).filter((p) => p !== header.error)].filter(Boolean);
    this.error.textContent = said.join('\n');
    this.error.hidden = said.length === 0;
    for (const c of CONTROLS) {
      const b = this.buttons.get(c.control) as HTMLElement;
      // A run GRPO Lens only reads (TRL, verl…) has no control buttons at all.
      b.hidden = !header.controllable || (c.control === 'checkpoint' && header.checkpointable === false);
      if (c.when.includes(header.state)) b.removeAttribute('disabled');
      else b.setAttribute('disabled', '');
    }
  }
}
