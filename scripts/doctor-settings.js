#!/usr/bin/env node
// Writes the run doctor's settings (grpoLens.doctor.*) into package.json from the core's
// THRESHOLD_DOCS, after a build (`npx tsc -p tsconfig.test.json`). Other settings are kept
// as they are, in their order; the doctor's come after them.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { THRESHOLD_DOCS } = require(path.join(root, 'out/src/doctor/thresholds'));
const { doctorSettings } = require(path.join(root, 'out/src/doctor/vscode/settingsSchema'));
const file = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
const props = pkg.contributes.configuration.properties;
for (const key of Object.keys(props)) if (key.startsWith('grpoLens.doctor.')) delete props[key];
Object.assign(props, doctorSettings(THRESHOLD_DOCS));
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`wrote ${Object.keys(doctorSettings(THRESHOLD_DOCS)).length} doctor settings to package.json`);
