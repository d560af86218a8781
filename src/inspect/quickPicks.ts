// Palette path to a completion: run -> step -> group -> completion.
import * as vscode from 'vscode';
import { completionNumber } from '../contract/completionNumber';
import { pickRun } from '../panels/quickPick';
import type { RunStore } from '../runs/model';
import { visibleLine } from '../contract/visibleText';
import type { CompletionAddress } from './completionUri';

export async function pickCompletion(store: RunStore): Promise<CompletionAddress | undefined> {
  const runId = await pickRun(store, 'Inspect Completion: run');
  if (!runId) return undefined;
  const steps = await store.sampleSteps(runId);
  if (steps.length === 0) {
    void vscode.window.showInformationMessage('GRPO Lens: this run has logged no samples yet.');
    return undefined;
  }
  const step = await vscode.window.showQuickPick(
    [...steps].reverse().map((s) => ({ label: `step ${s}`, step: s })),
    { title: 'Inspect Completion: step' },
  );
  if (!step) return undefined;
  const groups = await store.samplesAt(runId, step.step);
  const group = await vscode.window.showQuickPick(
    groups.map((g) => ({ label: `group ${g.group}`, description: visibleLine(g.prompt), g })),
    { title: 'Inspect Completion: group', matchOnDescription: true },
  );
  if (!group) return undefined;
  const completion = await vscode.window.showQuickPick(
    group.g.completions
      .map((c, index) => ({
        label: `completion ${completionNumber(index)}`,
        description: `reward ${c.reward} · advantage ${Number(c.advantage).toFixed(3)}${c.truncated ? ' · truncated' : ''}`,
        detail: visibleLine(c.text, 120),
        index,
        reward: c.reward,
      }))
      .sort((a, b) => b.reward - a.reward),
    { title: 'Inspect Completion: completion', matchOnDetail: true },
  );
  return completion && { runId, step: step.step, group: group.g.group, index: completion.index };
}
