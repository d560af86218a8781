// "GRPO run X: stopping…" in the status bar must go the moment the run has stopped.
import * as assert from 'assert';
import { showWhileTrue } from '../../../src/commands/statusMessage';
import type { RunChange } from '../../../src/runs/model';

function fakeStore(state: string) {
  const listeners: ((changes: RunChange[]) => void)[] = [];
  const store = {
    state,
    get: (id: string) => (id === 'r' ? ({ id, state: store.state } as never) : undefined),
    onDidChange: (l: (changes: RunChange[]) => void) => {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
    change(next: string) {
      store.state = next;
      listeners.forEach((l) => l([{ runId: 'r', summary: true }]));
    },
    listeners,
  };
  return store;
}

function fakeStatusBar() {
  const shown: string[] = [];
  return {
    shown,
    show: (text: string) => {
      shown.push(text);
      return { dispose: () => shown.splice(shown.indexOf(text), 1) };
    },
  };
}

const final = (state: string) => ['stopped', 'finished', 'failed'].includes(state);

describe('status message while true', () => {
  it('hides "stopping" as soon as the run reaches a final state, long before its time is up', () => {
    const store = fakeStore('stopping');
    const bar = fakeStatusBar();
    showWhileTrue(store, 'r', 'GRPO run r: stopping', 60_000, final, bar.show);
    assert.deepStrictEqual(bar.shown, ['GRPO run r: stopping']);
    store.change('stopping');
    assert.deepStrictEqual(bar.shown, ['GRPO run r: stopping']);
    store.change('stopped');
    assert.deepStrictEqual(bar.shown, []);
    assert.strictEqual(store.listeners.length, 0, 'stops listening');
  });

  it('shows nothing for a run that has already stopped', () => {
    const bar = fakeStatusBar();
    showWhileTrue(fakeStore('stopped'), 'r', 'stopping', 60_000, final, bar.show);
    assert.deepStrictEqual(bar.shown, []);
  });

  it('hides after its time when nothing changes', async () => {
    const store = fakeStore('stopping');
    const bar = fakeStatusBar();
    showWhileTrue(store, 'r', 'stopping', 20, final, bar.show);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepStrictEqual(bar.shown, []);
    assert.strictEqual(store.listeners.length, 0);
  });
});
