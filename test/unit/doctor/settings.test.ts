// package.json declares a setting for every threshold of the run doctor, with the core's
// default: node scripts/doctor-settings.js regenerates them when THRESHOLD_DOCS changes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_THRESHOLDS, THRESHOLD_DOCS } from '../../../src/doctor/thresholds';
import { doctorSettings } from '../../../src/doctor/vscode/settingsSchema';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
const props: Record<string, { default: unknown }> = pkg.contributes.configuration.properties;

describe('run doctor settings', () => {
  it('match the core threshold docs (run node scripts/doctor-settings.js after changing them)', () => {
    const declared = Object.fromEntries(
      Object.entries(props).filter(([k]) => k.startsWith('grpoLens.doctor.')),
    );
    assert.deepStrictEqual(declared, doctorSettings(THRESHOLD_DOCS));
  });

  it('default to the doctor defaults, one per threshold, plus enabled', () => {
    for (const [name, value] of Object.entries(DEFAULT_THRESHOLDS))
      assert.strictEqual(props[`grpoLens.doctor.${name}`]?.default, value, name);
    assert.strictEqual(props['grpoLens.doctor.enabled']?.default, true);
  });
});
