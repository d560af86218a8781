// The run doctor's findings on the charts: which steps each chart marks (pure), and the
// marker layer drawn over a uPlot chart, with the explanation on hover or focus.
import type uPlot from 'uplot';
import type { FindingView } from '../../src/contract/messages';
import { h } from '../common/dom';
import { visibleText } from '../common/text';

export interface ChartMarker {
  step: number;
  /** Findings marked at this step, errors first. */
  findings: FindingView[];
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** The markers of a chart: findings that name one of its metrics, merged per step. */
export function markersFor(metricNames: string[], findings: FindingView[]): ChartMarker[] {
  const byStep = new Map<number, FindingView[]>();
  for (const f of findings) {
    if (!f.metrics.some((m) => metricNames.includes(m))) continue;
    const steps = f.markSteps.length > 0 ? f.markSteps : [f.steps[0]];
    for (const step of steps) byStep.set(step, [...(byStep.get(step) ?? []), f]);
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, fs]) => ({ step, findings: fs.sort((a, b) => RANK[a.severity] - RANK[b.severity]) }));
}

/** Marker elements over one chart's plot area, and its hover card. */
export class MarkerLayer {
  private markers: ChartMarker[] = [];
  private focused: number | undefined;
  private readonly tip: HTMLElement;

  constructor(private readonly chartEl: HTMLElement) {
    this.tip = h('div', { className: 'finding-tip', attrs: { role: 'tooltip' } });
    this.tip.hidden = true;
    chartEl.appendChild(this.tip);
  }

  set(markers: ChartMarker[], focused?: number): void {
    this.markers = markers;
    this.focused = focused;
  }

  steps(): number[] {
    return this.markers.map((m) => m.step);
  }

  /** Places the markers at their steps (called on every uPlot draw: zoom, resize, data). */
  draw(u: uPlot, toX: (step: number) => number | undefined): void {
    const over = u.over;
    over.querySelectorAll('.finding-marker').forEach((el) => el.remove());
    const min = u.scales.x.min ?? -Infinity;
    const max = u.scales.x.max ?? Infinity;
    for (const marker of this.markers) {
      const x = toX(marker.step);
      if (x === undefined || x < min || x > max) continue;
      over.appendChild(this.markerEl(marker, u.valToPos(x, 'x')));
    }
  }

  private markerEl(marker: ChartMarker, left: number): HTMLElement {
    const worst = marker.findings[0];
    const label = `Step ${marker.step}: ${marker.findings.map((f) => visibleText(f.message)).join('; ')}`;
    const el = h('div', {
      className: `finding-marker severity-${worst.severity}${marker.step === this.focused ? ' focused' : ''}`,
      attrs: {
        tabindex: '0',
        'aria-label': label,
        'data-step': String(marker.step),
        'data-finding': worst.id,
      },
    });
    el.style.left = `${left}px`;
    const show = () => this.showTip(marker, el);
    el.addEventListener('mouseenter', show);
    el.addEventListener('focus', show);
    el.addEventListener('mouseleave', () => (this.tip.hidden = true));
    el.addEventListener('blur', () => (this.tip.hidden = true));
    return el;
  }

  private showTip(marker: ChartMarker, el: HTMLElement): void {
    this.tip.replaceChildren(
      h('div', { className: 'finding-tip-step', text: `Step ${marker.step}` }),
      ...marker.findings.map((f) =>
        h('div', { className: `finding-tip-item severity-${f.severity}` }, [
          h('div', { className: 'finding-tip-title', text: `${f.severity} · ${f.id}` }),
          h('div', { className: 'finding-tip-message', text: visibleText(f.message) }),
          h('div', { text: `Why it matters: ${visibleText(f.why)}` }),
          h('div', { text: `Try: ${visibleText(f.tryThis)}` }),
        ]),
      ),
    );
    this.tip.hidden = false;
    const chart = this.chartEl.getBoundingClientRect();
    const at = el.getBoundingClientRect();
    const left = Math.min(Math.max(0, at.left - chart.left + 8), Math.max(0, chart.width - 320));
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${at.top - chart.top + 24}px`;
  }
}
