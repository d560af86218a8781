// Run text shown by the host (tree, titles, quick picks, notifications, status bar) uses
// the panels' visible form; titles tell runs of one config apart.
import * as assert from 'assert';
import { visibleLine, visibleText } from '../../../src/contract/visibleText';
import { distinctRunLabel, runLabel } from '../../../src/views/runLabel';
import { visibleText as webviewVisibleText } from '../../../webview/common/text';

describe('run text in visible form', () => {
  it('is one function for the webviews and the host', () => {
    assert.strictEqual(webviewVisibleText, visibleText);
  });

  it('shows bidi overrides and ESC, BEL, NUL as markers in one-line quick-pick text', () => {
    const line = visibleLine('abc\u202Edef\u001b[31m\u0007\u0000\nnext');
    assert.strictEqual(line, 'abc⟦U+202E⟧def⟦U+001B⟧[31m⟦U+0007⟧⟦U+0000⟧ next');
    assert.strictEqual(visibleLine('x'.repeat(200), 10), 'xxxxxxxxx…');
  });

  it('labels a run by its folder, as the tree does, not by run.json’s name', () => {
    assert.strictEqual(runLabel({ dir: '/w/runs/tiny-demo-20261130-101010' }), 'tiny-demo-20261130-101010');
    assert.strictEqual(runLabel({ dir: '/w/runs/evil\u202Ename' }), 'evil⟦U+202E⟧name');
  });

  it('adds the parent folder only when two runs share a label', () => {
    const a = { id: '/w/one/runs/demo', dir: '/w/one/runs/demo' };
    const b = { id: '/w/two/runs/demo', dir: '/w/two/runs/demo' };
    const c = { id: '/w/one/runs/other', dir: '/w/one/runs/other' };
    assert.strictEqual(distinctRunLabel(c, [a, b, c]), 'other');
    assert.strictEqual(distinctRunLabel(a, [a, b, c]), 'demo (one/runs)');
    assert.strictEqual(distinctRunLabel(b, [a, b, c]), 'demo (two/runs)');
  });
});
