// A status-bar message about a run that goes away as soon as it stops being true: "stopping"
// must not outlive the run reaching its final state (the tree says stopped at once).
import type { RunStore } from '../runs/model';

interface Disposable {
  dispose(): unknown;
}

/**
 * Shows `text` through `show` for at most `ms`, and hides it at the first store change
 * after which `over(state)` holds for the run (or the run is gone). Shows nothing if that
 * is true already.
 */
export function showWhileTrue(
  store: Pick<RunStore, 'onDidChange' | 'get'>,
  runId: string,
  text: string,
  ms: number,
  over: (state: string) => boolean,
  show: (text: string, ms: number) => Disposable,
): Disposable {
  const isOver = () => {
    const run = store.get(runId);
    return !run || over(run.state);
  };
  if (isOver()) return { dispose: () => undefined };
  const message = show(text, ms);
  const hide = () => {
    clearTimeout(timer);
    subscription.dispose();
    message.dispose();
  };
  const subscription = store.onDidChange((changes) => {
    if (changes.some((c) => c.runId === runId) && isOver()) hide();
  });
  const timer = setTimeout(hide, ms);
  return { dispose: hide };
}
