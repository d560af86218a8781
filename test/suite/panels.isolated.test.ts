// Webview panels and inline inspection inside a real extension host: the dashboard of a
// live tiny run grows, the samples panel serves groups of G, Inspect Completion opens a
// decorated read-only editor, and hostile completions stay text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import type { DashboardPanel } from '../../src/panels/dashboardPanel';
import type { SamplesPanel } from '../../src/panels/samplesPanel';
import { bucketOf, measureInfo, tokenMeasures, tokenSpans } from '../../src/inspect/measures';
import type { Completion } from '../../src/runs/model';
import { hoverTextAtBody } from './inspectHelpers';
import { runsApi, waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

type Opened = { editor: vscode.TextEditor; decoratedTokens: number };

function copyRun(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from))
    if (f !== 'make.js') fs.copyFileSync(path.join(from, f), path.join(to, f));
}

describe('webview panels and inspection (extension host)', function () {
  this.timeout(180_000);
  let runs: RunsApi;
  let live: string;
  let hostile: string;
  const ext = () => vscode.extensions.getExtension('grpo-lens.grpo-lens')!.extensionPath;

  before(async () => {
    runs = await runsApi();
    const ws = workspaceDir();
    hostile = path.join(ws, 'runs', 'hostile');
    copyRun(path.join(ext(), 'test', 'fixtures', 'hostile'), hostile);
    fs.writeFileSync(
      path.join(hostile, 'run.json'),
      JSON.stringify({ format: 'grpo-lens/1', name: 'hostile' }),
    );
    fs.writeFileSync(
      path.join(hostile, 'status.json'),
      JSON.stringify({ state: 'finished', step: 1, total_steps: 1 }),
    );
    const config = writeLongConfig(ws, 'panels-live');
    live = (await vscode.commands.executeCommand<string>('grpoLens.startRun', vscode.Uri.file(config)))!;
    assert.ok(live, 'Start Run returned the run directory');
    await runs.store()!.refresh();
  });

  after(async () => {
    const pid = runs?.store()?.get(live)?.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });

  it('opens the dashboard of a live run: ready, one series, then live points as steps land', async () => {
    await waitFor('a few steps', () => (runs.store()?.get(live)?.step ?? 0) >= 2, 120_000);
    const panel = (await vscode.commands.executeCommand<DashboardPanel>('grpoLens.openDashboard', live))!;
    assert.ok(panel, 'openDashboard returned the panel');
    await waitFor('the series window', () => panel.host.postedByType.series >= 1, 60_000);
    const appendsAt = (panel.host.postedByType.append ?? 0) + 2;
    await waitFor('live points', () => (panel.host.postedByType.append ?? 0) >= appendsAt, 120_000);
    assert.ok(panel.host.bytesPosted < 1_000_000, `${panel.host.bytesPosted} bytes posted`);
    const again = await vscode.commands.executeCommand<DashboardPanel>('grpoLens.openDashboard', live);
    assert.strictEqual(again, panel, 'one dashboard per run');
  });

  it('opens the samples panel and serves the groups of G completions of a step', async () => {
    const steps = await waitFor('sample steps', async () => true, 1000).then(() =>
      runs.store()!.sampleSteps(live),
    );
    assert.ok(steps.length > 0, 'the live run logged samples');
    const groups = await runs.store()!.samplesAt(live, steps[steps.length - 1]);
    assert.ok(groups.length > 0 && groups.every((g) => g.completions.length === 4), 'groups of G = 4');
    const panel = (await vscode.commands.executeCommand<SamplesPanel>('grpoLens.showSamples', live))!;
    await waitFor('samples served', () => (panel.host.postedByType.reply ?? 0) >= 1, 60_000);
    assert.ok(panel.host.postedByType.sampleSteps >= 1);
  });

  it('inspects a completion: read-only document with a header, coloured tokens, hovers, next/previous', async () => {
    // Tokens are coloured under "policy log-prob" only where log π ≤ −0.5. The tiny policy is
    // confident, so many completions have no such token (nothing to colour, by design): pick,
    // from the logged data, a completion that has some, and expect exactly that many coloured.
    const info = measureInfo('policyLogprob');
    const colourable = (c: Completion): number => {
      const tokens = (c.tokens ?? []).map(String);
      const spans = tokenSpans(String(c.text ?? ''), tokens);
      return tokenMeasures(c.logprobs, c.ref_logprobs, tokens.length).filter(
        (m, t) => spans[t].end > spans[t].start && bucketOf(info, m.policyLogprob) !== 0,
      ).length;
    };
    const find = async () => {
      const steps = await runs.store()!.sampleSteps(live);
      for (const s of [...steps].reverse().slice(0, 20))
        for (const g of await runs.store()!.samplesAt(live, s))
          for (let i = 0; i < g.completions.length; i++) {
            const expected = colourable(g.completions[i]);
            if (expected > 0) return { step: s, group: g.group, index: i, expected };
          }
      return undefined;
    };
    let target = await find();
    for (const deadline = Date.now() + 120_000; !target && Date.now() < deadline; target = await find())
      await new Promise((r) => setTimeout(r, 500));
    assert.ok(target, 'the run logged a completion with an unlikely token');
    const { step, group, index } = target;
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.chooseTokenMeasure', 'policyLogprob'),
      'policyLogprob',
    );
    const opened = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: live,
      step,
      group,
      index,
    }))!;
    const doc = opened.editor.document;
    assert.strictEqual(doc.uri.scheme, 'grpo-lens-completion');
    assert.match(
      doc.getText(),
      new RegExp(`^# GRPO Lens · .* · step ${step} · group ${group} · completion ${index + 1} of 4`),
    );
    assert.match(doc.getText(), /# reward .* · advantage [-+]/);
    assert.ok(opened.decoratedTokens > 0, 'tokens coloured');
    assert.strictEqual(opened.decoratedTokens, target.expected, 'every unlikely token coloured');
    const text = await hoverTextAtBody(doc);
    assert.match(text, /policy log-prob/);
    assert.match(text, /KL \(k3\)/);
    const next = (await vscode.commands.executeCommand<Opened>('grpoLens.nextCompletion'))!;
    assert.match(next.editor.document.getText(), new RegExp(`completion ${((index + 1) % 4) + 1} of 4`));
    const prev = (await vscode.commands.executeCommand<Opened>('grpoLens.previousCompletion'))!;
    assert.match(prev.editor.document.getText(), new RegExp(`completion ${index + 1} of 4`));
  });

  it('adds the model’s alternatives to the hover and offers "moved from reference" once a checkpoint is exported', async () => {
    const outcome = await vscode.commands.executeCommand<string>('grpoLens.checkpointNow', live);
    assert.strictEqual(outcome, 'acknowledged');
    const hasExport = () => {
      const dir = path.join(live, 'checkpoints');
      return (
        fs.existsSync(dir) && fs.readdirSync(dir).some((c) => fs.existsSync(path.join(dir, c, 'policy.onnx')))
      );
    };
    await waitFor('an ONNX export', hasExport, 120_000);
    const steps = await runs.store()!.sampleSteps(live);
    const opened = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: live,
      step: steps[steps.length - 1],
      group: 0,
      index: 1,
    }))!;
    const doc = opened.editor.document;
    const text = await hoverTextAtBody(doc);
    assert.match(text, /Under the checkpoint's export/);
    assert.match(text, /\| policy \| p \| reference \| p \|/);
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.chooseTokenMeasure', 'movedFromReference'),
      'movedFromReference',
    );
    const again = (await vscode.commands.executeCommand<Opened>('grpoLens.nextCompletion'))!;
    assert.ok(again.decoratedTokens > 0, 'tokens coloured by moved-from-reference');
    await vscode.commands.executeCommand('grpoLens.chooseTokenMeasure', 'policyLogprob');
  });

  it('opens hostile completions as text, including the 1 MB line and invalid UTF-8', async () => {
    await waitFor('hostile run', () => runs.store()?.get(hostile), 30_000);
    const first = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: hostile,
      step: 1,
      group: 0,
      index: 2,
    }))!;
    assert.match(
      first.editor.document.getText(),
      /<\/textarea><\/script><\/pre><script>window.__pwned=1<\/script>/,
    );
    const big = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: hostile,
      step: 1,
      group: 1,
      index: 0,
    }))!;
    assert.ok(big.editor.document.getText().length > 1 << 20);
    const bad = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: hostile,
      step: 1,
      group: 2,
      index: 0,
    }))!;
    assert.match(bad.editor.document.getText(), /\ufffd/);
    const panel = (await vscode.commands.executeCommand<SamplesPanel>('grpoLens.showSamples', hostile))!;
    await waitFor('hostile samples served', () => (panel.host.postedByType.reply ?? 0) >= 1, 60_000);
  });
});
