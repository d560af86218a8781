// The walkthrough as package.json contributes it: every picture is shipped and small, every
// button runs a command GRPO Lens contributes, and each step ticks on its own command.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Step {
  id: string;
  description: string;
  media: { image?: string; altText?: string };
  completionEvents?: string[];
}

const walkthroughs: { id: string; steps: Step[] }[] = pkg.contributes.walkthroughs;
const commands = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));

function buttons(step: Step): string[] {
  return [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
}

describe('the Get Started walkthrough in package.json', () => {
  it('is one walkthrough, getStarted, with five steps', () => {
    assert.deepStrictEqual(
      walkthroughs.map((w) => w.id),
      ['getStarted'],
    );
    assert.deepStrictEqual(
      walkthroughs[0].steps.map((s) => s.id),
      ['checkEnvironment', 'newConfig', 'startRun', 'samples', 'otherTrainers'],
    );
  });

  for (const step of walkthroughs[0].steps) {
    it(`${step.id}: a shipped picture under 150 KB with alt text`, () => {
      const image = step.media.image ?? '';
      assert.match(image, /^media\/walkthrough\/[\w-]+\.png$/, 'media/** is what .vscodeignore lets in');
      assert.ok(fs.statSync(path.join(root, image)).size < 150 * 1024, image);
      assert.ok((step.media.altText ?? '').length > 20, 'alt text says what the picture shows');
    });

    it(`${step.id}: buttons run contributed commands and tick the step`, () => {
      const run = buttons(step);
      assert.ok(run.length > 0, 'a step says what to do with a button');
      for (const command of run) assert.ok(commands.has(command), command);
      const ticks = (step.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, ''));
      assert.ok(ticks.length > 0 && ticks.every((c) => run.includes(c)), `${ticks} ⊆ ${run}`);
    });
  }

  it('ends with opening, comparing and tabulating runs of any trainer', () => {
    const last = walkthroughs[0].steps[walkthroughs[0].steps.length - 1];
    assert.deepStrictEqual(buttons(last), [
      'grpoLens.openRunFolder',
      'grpoLens.compareRuns',
      'grpoLens.showRunsTable',
    ]);
  });

  it('GRPO: Get Started is a contributed command', () => {
    assert.ok(commands.has('grpoLens.getStarted'));
  });
});
