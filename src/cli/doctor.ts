// `grpo-lens doctor RUN`: the run doctor over a whole run on disk (examineRun, the same
// one the extension uses), printed as text or JSON; the exit code says whether a
// finding at or above --fail-on holds (for CI).
import { examineRun } from '../doctor/examineRun';
import type { Finding, Severity } from '../doctor/finding';
import type { FoundRun } from '../runs/sources/source';
import { withSession } from './openRun';
import { indented, shown } from './text';

export function examineFoundRun(run: FoundRun): Promise<Finding[]> {
  return withSession(run, (session, summary) => examineRun(session, { summary }));
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

export function failsOn(findings: Finding[], level: 'warning' | 'error'): boolean {
  return findings.some((f) => RANK[f.severity] >= RANK[level]);
}

/** The JSON contract: {"findings": [{"id", "severity", "steps", "message", "evidence"}]}. */
export function doctorJson(findings: Finding[]): { findings: object[] } {
  return {
    findings: findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      steps: f.steps,
      message: f.message,
      evidence: f.evidence,
    })),
  };
}

export function doctorAsText(findings: Finding[]): string {
  if (findings.length === 0) return 'No problems found.';
  const counts = (['error', 'warning', 'info'] as Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n > 1 ? 's' : ''}`);
  return [counts.join(', '), ...findings.map(findingAsText)].join('\n\n');
}

function findingAsText(f: Finding): string {
  const steps = f.steps[0] === f.steps[1] ? `step ${f.steps[0]}` : `steps ${f.steps[0]}–${f.steps[1]}`;
  const lines = [
    `${f.severity.toUpperCase()}  ${f.id}  (${steps})`,
    indented(shown(f.message), '  '),
    `  why: ${shown(f.why)}`,
    `  try: ${shown(f.tryThis)}`,
  ];
  if (f.groups && f.groups.length > 0)
    lines.push(
      `  groups: ${f.groups
        .slice(0, 8)
        .map((g) => `step ${g.step} group ${g.group}`)
        .join(', ')}`,
    );
  return lines.join('\n');
}
