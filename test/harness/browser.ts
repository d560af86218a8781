// Headless Chromium (Debian's) for playwright-core: used by the workbench driver and by
// the browser tests of the webviews.
import * as fs from 'fs';
import { Browser, chromium } from 'playwright-core';
import { chromiumPath } from './paths';

/** Flags that keep Chromium headless, offline and quiet in containers. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPathOrThrow(): string {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing. Run: bash scripts/setup.sh`);
  return chromiumPath;
}

/** Launches headless Chromium; close it with browser.close(). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPathOrThrow(), args: chromiumArgs });
}
