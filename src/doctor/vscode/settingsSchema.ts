// The settings grpoLens.doctor.enabled and grpoLens.doctor.<threshold>, as package.json's
// contributes.configuration declares them, generated from the core's THRESHOLD_DOCS
// (scripts/doctor-settings.js writes them; a unit test keeps package.json in sync). Pure.
import type { ThresholdDoc } from '../thresholds';

export interface SettingSchema {
  type: 'number' | 'boolean';
  default: number | boolean;
  minimum?: number;
  markdownDescription?: string;
  description?: string;
}

export const ENABLED_SETTING: SettingSchema = {
  type: 'boolean',
  default: true,
  description:
    'Run the run doctor over every run: findings in the run explorer, the Problems panel, dashboard markers and notifications for errors.',
};

export function doctorSettings(docs: Record<string, ThresholdDoc>): Record<string, SettingSchema> {
  const out: Record<string, SettingSchema> = { 'grpoLens.doctor.enabled': ENABLED_SETTING };
  for (const [name, doc] of Object.entries(docs)) {
    out[`grpoLens.doctor.${name}`] = {
      type: 'number',
      default: doc.default,
      minimum: 0,
      markdownDescription: `${doc.description} Default ${doc.default}; see docs/doctor.md for why.`,
    };
  }
  return out;
}
