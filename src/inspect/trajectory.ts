// An environment's game in Inspect Completion: one header line per shot with its
// probability, and the policy's top alternative cells for the hover. Pure.
import type { Completion, TrajectoryStep } from '../runs/model';

const MAX_LINES = 64;

function prob(logprob: unknown): string {
  return typeof logprob === 'number' && Number.isFinite(logprob) ? Math.exp(logprob).toFixed(3) : 'n/a';
}

function label(step: TrajectoryStep): string {
  return String(step.cell ?? step.action).slice(0, 16);
}

function topText(step: TrajectoryStep): string {
  if (!Array.isArray(step.top) || step.top.length === 0) return '';
  const cells = step.top
    .filter((t) => typeof t === 'object' && t !== null && typeof t.prob === 'number')
    .map((t) => `${String(t.cell).slice(0, 16)} ${t.prob.toFixed(3)}`);
  return cells.length ? ` · top ${cells.join(', ')}` : '';
}

/** `# shot 3: B3 hit, sank 2 · p 0.210 · top B3 0.210, C2 0.120, A1 0.080`, one per shot. */
export function shotLines(c: Completion): string[] {
  if (!Array.isArray(c.trajectory)) return [];
  const steps = c.trajectory.filter((s) => typeof s === 'object' && s !== null);
  const lines = steps.slice(0, MAX_LINES).map((s, k) => {
    const outcome = String(s.outcome ?? '').slice(0, 16);
    const sunk = typeof s.sunk === 'number' ? `, sank ${s.sunk}` : '';
    return `# shot ${k + 1}: ${label(s)} ${outcome}${sunk} · p ${prob(s.logprob)}${topText(s)}`;
  });
  if (steps.length > MAX_LINES) lines.push(`#   … ${steps.length - MAX_LINES} more shots`);
  return lines;
}

/** Hover markdown rows of the policy's top cells at the shot a token is (undefined when none). */
export function topAlternatives(c: Completion | undefined, shot: number): string[] | undefined {
  const step = Array.isArray(c?.trajectory) ? c?.trajectory[shot] : undefined;
  if (!step || !Array.isArray(step.top) || step.top.length === 0) return undefined;
  const rows = step.top
    .filter((t) => typeof t === 'object' && t !== null && typeof t.prob === 'number')
    .map(
      (t) =>
        `| \`${String(t.cell).replace(/[`|\\]/g, '')}\` | ${t.prob.toFixed(3)} |${t.action === step.action ? ' chosen |' : ' |'}`,
    );
  return ['| policy’s top cells at this shot | p | |', '| --- | ---: | --- |', ...rows];
}
