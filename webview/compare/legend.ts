// The runs of a comparison above the charts: each run's colour (the same as its lines),
// name, source and state, a button to its dashboard, and what the axis cannot show of it.
import type { CompareAxis, CompareRunInfo } from '../../src/contract/messages';
import { clear, h, icon } from '../common/dom';

export class RunLegend {
  readonly el = h('div', { className: 'bar legend', attrs: { role: 'list', 'aria-label': 'Runs' } });

  constructor(private readonly openDashboard: (runId: string) => void) {}

  /** `placed(runId)`: whether the run can be drawn on the axis (tokens: it logs a token count). */
  set(runs: CompareRunInfo[], axis: CompareAxis, placed: (runId: string) => boolean): void {
    clear(this.el);
    for (const run of runs) this.el.appendChild(this.entry(run, axis, placed(run.runId)));
  }

  private entry(run: CompareRunInfo, axis: CompareAxis, placed: boolean): HTMLElement {
    const swatch = h('span', { className: 'swatch', attrs: { 'data-colour': run.colour } });
    swatch.style.background = run.colour; // CSSOM, which the webview's CSP allows
    const missing = axis === 'tokens' ? 'no token count logged' : 'no wall-clock times logged';
    const open = h('button', { className: 'icon-button', title: `Open the dashboard of ${run.name}` }, [
      icon('graph-line'),
    ]);
    open.addEventListener('click', () => this.openDashboard(run.runId));
    return h(
      'span',
      { className: `run${placed ? '' : ' unplaced'}`, attrs: { role: 'listitem', 'data-run': run.runId } },
      [
        swatch,
        h('span', { className: 'name', text: run.name, title: run.runId }),
        h('span', { className: 'meta', text: [run.source, run.state].filter(Boolean).join(' · ') }),
        placed ? undefined : h('span', { className: 'note', text: missing }),
        open,
      ],
    );
  }
}
