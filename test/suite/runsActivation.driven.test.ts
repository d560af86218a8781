// Driven by bench/activation: reports how long GRPO Lens took to activate and how
// long after that its runs were listed, as one console line the bench parses.
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';

interface Api {
  activatedAt: number;
  activationMs: number;
  runs: RunsApi;
}

describe('activation time (bench)', function () {
  this.timeout(60_000);

  it('reports activation and runs-listed times', async () => {
    const api = await vscode.extensions.getExtension<Api>('grpo-lens.grpo-lens')!.activate();
    const store = await api.runs.whenReady();
    const runsListedMs = Date.now() - api.activatedAt;
    const report = { activationMs: api.activationMs, runsListedMs, runs: store.runs().length };
    console.log(`[bench-activation] ${JSON.stringify(report)}`);
  });
});
