// Metric rows as the dashboard receives them live: one point per step. Pure.
import type { LivePoint } from '../contract/messages';
import type { MetricRow } from '../runs/model';

export function toLivePoint(row: MetricRow): LivePoint {
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(row))
    if (k !== 'step' && k !== 'time' && typeof v === 'number') values[k] = v;
  return { step: row.step, time: row.time, values };
}
