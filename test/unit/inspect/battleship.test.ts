// A Battleship run written by the trainer, through the pure parts the panels and Inspect
// Completion use: the board view of a game, the shot lines, the top alternative cells.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderCompletionDocument } from '../../../src/inspect/documentText';
import { tokenSpans } from '../../../src/inspect/measures';
import { shotLines, topAlternatives } from '../../../src/inspect/trajectory';
import { cellName, toGameView } from '../../../src/panels/gameView';
import { toGroupView } from '../../../src/panels/samplesView';
import type { SampleGroup } from '../../../src/runs/model';
import { writeBattleshipRun } from '../../fixtures/writers/battleshipRun';
import { pythonPath, repoRoot } from '../../harness/paths';

describe('Battleship games in the samples panel and Inspect Completion', function () {
  this.timeout(60_000);
  let tmp: string;
  let groups: SampleGroup[];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-battleship-unit-'));
    const run = writeBattleshipRun(repoRoot, path.join(tmp, 'run'), pythonPath);
    const lines = fs.readFileSync(path.join(run, 'samples.jsonl'), 'utf8').split('\n');
    groups = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as SampleGroup);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('names cells as the trainer does', () => {
    const g = groups[0];
    for (const c of g.completions)
      for (const s of c.trajectory!) assert.strictEqual(cellName(s.action, 5), s.cell);
  });

  it('turns each game into a board view whose hits agree with the logged outcomes', () => {
    const view = toGroupView(groups[groups.length - 1]);
    for (const [i, c] of view.completions.entries()) {
      const logged = groups[groups.length - 1].completions[i].trajectory!;
      assert.ok(c.game, 'a board');
      assert.strictEqual(c.game.size, 5);
      assert.deepStrictEqual(
        c.game.shots.map((s) => (s.hit ? 'hit' : 'miss')),
        logged.map((s) => s.outcome),
      );
      assert.ok(c.game.shots.every((s, k) => Math.abs(s.prob! - Math.exp(logged[k].logprob!)) < 1e-12));
    }
  });

  it('gives no board for text completions or hostile games', () => {
    const g = groups[0];
    const c = g.completions[0];
    assert.strictEqual(toGameView(undefined, c), undefined);
    assert.strictEqual(toGameView(g.environment, { ...c, trajectory: undefined }), undefined);
    const bad = [{ ...c.trajectory![0], action: 99 }];
    assert.strictEqual(toGameView(g.environment, { ...c, trajectory: bad }), undefined);
    assert.strictEqual(toGameView({ ...g.environment!, board_size: 1e9 }, c), undefined);
    assert.strictEqual(toGameView({ ...g.environment!, name: 'chess' }, c), undefined);
  });

  it('lists each shot with its probability in the document header; tokens find the shots in the text', () => {
    const g = groups[0];
    const c = g.completions[0];
    const lines = shotLines(c);
    assert.strictEqual(lines.length, c.trajectory!.length);
    const first = c.trajectory![0];
    assert.ok(
      lines[0].startsWith(
        `# shot 1: ${first.cell} ${first.outcome} · p ${Math.exp(first.logprob!).toFixed(3)} · top `,
      ),
      lines[0],
    );
    const doc = renderCompletionDocument('bs', g, 0);
    assert.ok(doc.text.includes(lines[lines.length - 1]));
    assert.ok(doc.hasTokens);
    const spans = tokenSpans(c.text, c.tokens!);
    assert.ok(spans.every((s, k) => c.text.slice(s.start, s.end) === c.tokens![k]));
  });

  it('gives the policy’s top cells at a shot, the chosen one marked', () => {
    const c = groups[0].completions[0];
    const rows = topAlternatives(c, 0)!;
    const top = c.trajectory![0].top!;
    assert.strictEqual(rows.length, 2 + top.length);
    assert.ok(rows[2].includes(`\`${top[0].cell}\` | ${top[0].prob.toFixed(3)}`));
    assert.strictEqual(topAlternatives(c, 999), undefined);
    assert.strictEqual(topAlternatives({ ...c, trajectory: undefined }, 0), undefined);
  });
});
