// Compare runs, pure parts: run colours, alignment on step / time since start / tokens
// seen, the overlay uPlot draws, zoom ranges per run, differing config keys, prompt
// matching and nearest steps, and run ids from the tree's multi-selection.
import * as assert from 'assert';
import { axisScale, overlay, placeOnAxis, stepRangeOf } from '../../../src/compare/align';
import { RUN_PALETTE, runColour } from '../../../src/compare/colours';
import { FIRST_PAINT_WIDTH, firstPaintWindow, thinRows } from '../../../src/compare/firstPaint';
import { differingConfigKeys, flattenConfig, prettyConfig } from '../../../src/compare/configDiff';
import { matchGroups, nearestStep } from '../../../src/compare/matchPrompts';
import { compareRunInfos, runIdsOf } from '../../../src/compare/runInfo';
import type { SampleGroup } from '../../../src/runs/model';

describe('run colours', () => {
  it('hands out the palette in order, then distinct colours, the same for the same index', () => {
    assert.deepStrictEqual([0, 1, 2].map(runColour), RUN_PALETTE.slice(0, 3));
    const twenty = Array.from({ length: 20 }, (_, i) => runColour(i));
    assert.strictEqual(new Set(twenty).size, 20, twenty.join(' '));
    for (const c of twenty) assert.match(c, /^#[0-9a-f]{6}$/);
    assert.strictEqual(runColour(13), runColour(13));
    assert.strictEqual(runColour(-1), runColour(0));
    assert.strictEqual(runColour(Number.NaN), runColour(0));
  });

  it('gives each run of a comparison its colour by position', () => {
    const runs = [
      { id: '/w/a', dir: '/w/a', sourceLabel: 'GRPO Lens', state: 'finished' },
      { id: '/w/b', dir: '/w/b', sourceLabel: 'TRL', state: 'running' },
    ] as unknown as Parameters<typeof compareRunInfos>[1];
    const infos = compareRunInfos(['/w/b', '/w/a'], runs);
    assert.deepStrictEqual(
      infos.map((i) => [i.name, i.source, i.colour]),
      [
        ['b', 'TRL', runColour(0)],
        ['a', 'GRPO Lens', runColour(1)],
      ],
    );
  });
});

describe('alignment of runs on an axis', () => {
  const time = { x: [1, 2, 3, 4], y: [1000, 1010, 1030, 1060] };
  const tokens = { x: [1, 2, 3, 4], y: [500, 1000, 1500, 2000] };
  const reward = { x: [1, 2, 3, 4], y: [0.1, 0.2, null, 0.4] };

  it('step: the step itself', () => {
    const scale = axisScale('step')!;
    assert.deepStrictEqual(placeOnAxis(reward, scale), reward);
  });

  it('time: seconds since the run’s first logged step, interpolated between logged times', () => {
    const scale = axisScale('time', time)!;
    assert.deepStrictEqual(placeOnAxis(reward, scale).x, [0, 10, 30, 60]);
    assert.strictEqual(scale.toX(2.5), 20);
    assert.strictEqual(scale.toStep(45), 3.5);
  });

  it('tokens: the run’s token count at each step; a run that logs none cannot be placed', () => {
    const scale = axisScale('tokens', time, tokens)!;
    assert.deepStrictEqual(placeOnAxis(reward, scale).x, [500, 1000, 1500, 2000]);
    assert.strictEqual(axisScale('tokens', time, undefined), undefined);
    assert.strictEqual(axisScale('tokens', time, { x: [1], y: [null] }), undefined);
    assert.strictEqual(axisScale('time', undefined), undefined);
  });

  it('overlays runs on the union of their x, with a gap where a run has no point', () => {
    const data = overlay([{ x: [0, 2], y: [1, 3] }, undefined, { x: [1, 2], y: [5, 6] }]);
    assert.deepStrictEqual(data, [
      [0, 1, 2],
      [1, null, 3],
      [null, null, null],
      [null, 5, 6],
    ]);
  });

  it('maps a zoomed range to each run’s own steps', () => {
    const fast = axisScale('time', { x: [1, 101], y: [0, 100] })!;
    const slow = axisScale('time', { x: [1, 11], y: [0, 100] })!;
    assert.deepStrictEqual(stepRangeOf(fast, [20, 40]), [21, 41]);
    assert.deepStrictEqual(stepRangeOf(slow, [20, 40]), [3, 5]);
    assert.deepStrictEqual(stepRangeOf(axisScale('step')!, [10.5, 20.2]), [10, 21]);
  });
});

describe('config diff', () => {
  const a = { model: 'tiny', lr: 1e-4, rewards: { accuracy: 1, format: 0.5 }, tags: ['x'] };
  const b = { lr: 1e-4, model: 'tiny', rewards: { format: 0.5, accuracy: 2 }, tags: ['x'], beta: 0.04 };

  it('flattens to dotted keys, arrays as leaves', () => {
    assert.deepStrictEqual(Object.keys(flattenConfig(a)).sort(), [
      'lr',
      'model',
      'rewards.accuracy',
      'rewards.format',
      'tags',
    ]);
  });

  it('lists the keys whose values differ, or that some configs lack', () => {
    assert.deepStrictEqual(differingConfigKeys([a, b]), ['beta', 'rewards.accuracy']);
    assert.deepStrictEqual(differingConfigKeys([a, a, { ...a, tags: ['y'] }]), ['tags']);
    assert.deepStrictEqual(differingConfigKeys([a]), []);
    assert.deepStrictEqual(differingConfigKeys([{ x: null }, {}]), ['x']);
  });

  it('pretty-prints with keys sorted at every level, so equal configs read the same', () => {
    const text = prettyConfig(b);
    assert.deepStrictEqual(
      text
        .split('\n')
        .filter((l) => /^ {2}"/.test(l))
        .map((l) => l.trim().split('"')[1]),
      ['beta', 'lr', 'model', 'rewards', 'tags'],
    );
    assert.ok(text.indexOf('"accuracy"') < text.indexOf('"format"'));
    assert.strictEqual(prettyConfig({ ...a }), prettyConfig(JSON.parse(JSON.stringify(a))));
    assert.strictEqual(prettyConfig(undefined), '{}\n');
  });
});

describe('samples side by side', () => {
  const group = (step: number, g: number, prompt: string): SampleGroup => ({
    step,
    group: g,
    prompt,
    completions: [{ text: `${prompt}-${g}`, reward: g, rewards: {}, advantage: 0 }],
  });

  it('takes the logged step nearest the one asked for (the earlier on a tie)', () => {
    assert.strictEqual(nearestStep([10, 20, 30], 24), 20);
    assert.strictEqual(nearestStep([10, 20, 30], 25), 20);
    assert.strictEqual(nearestStep([10, 20, 30], 26), 30);
    assert.strictEqual(nearestStep([10, 20, 30], 500), 30);
    assert.strictEqual(nearestStep([], 5), undefined);
  });

  it('matches groups by prompt text (line endings and outer spaces aside), counting the rest', () => {
    const left = [group(10, 0, 'What is 2+2?'), group(10, 1, 'Name a colour'), group(10, 2, 'only left')];
    const right = [
      group(12, 0, 'name a colour'),
      group(12, 1, ' What is 2+2?\r\n'),
      group(12, 2, 'Name a colour'),
    ];
    const { matched, unmatched } = matchGroups(left, right);
    assert.deepStrictEqual(
      matched.map((m) => [m.prompt, m.left.group, m.right.group]),
      [
        ['What is 2+2?', 0, 1],
        ['Name a colour', 1, 2],
      ],
    );
    assert.deepStrictEqual(unmatched, [1, 1]);
  });

  it('matches a prompt given twice in a step in order', () => {
    const { matched } = matchGroups(
      [group(1, 0, 'p'), group(1, 1, 'p')],
      [group(1, 5, 'p'), group(1, 6, 'p')],
    );
    assert.deepStrictEqual(
      matched.map((m) => [m.left.group, m.right.group]),
      [
        [0, 5],
        [1, 6],
      ],
    );
  });
});

describe('run ids from command arguments', () => {
  const node = (runId: string) => ({ kind: 'run', runId });

  it('takes the tree’s multi-selection (item, items[]) over the clicked item', () => {
    assert.deepStrictEqual(runIdsOf(node('/a'), [node('/a'), node('/b'), node('/c')]), ['/a', '/b', '/c']);
  });

  it('takes an id, an array of ids, or one tree item; drops duplicates and junk', () => {
    assert.deepStrictEqual(runIdsOf('/a'), ['/a']);
    assert.deepStrictEqual(runIdsOf(['/a', '/b', '/a', 3, null]), ['/a', '/b']);
    assert.deepStrictEqual(runIdsOf(node('/a'), []), ['/a']);
    assert.deepStrictEqual(runIdsOf(undefined), []);
  });
});

describe('first paint of a compared run', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ step: 95_001 + i, reward: i % 7 }));

  it('thins a session’s recent rows to about two a bucket, keeping the first and the last', () => {
    const thin = thinRows(rows, 400);
    assert.ok(thin.length <= 2 * 400 + 2 && thin.length >= 400, `${thin.length} rows`);
    assert.strictEqual(thin[0].step, 95_001);
    assert.strictEqual(thin[thin.length - 1].step, 100_000);
    assert.strictEqual(thinRows(rows.slice(0, 300), 400).length, 300, 'few rows are kept as they are');
  });

  it('draws the thinned rows at the narrow width, over the window’s steps', () => {
    const w = firstPaintWindow('/r', rows);
    assert.strictEqual(w.runId, '/r');
    assert.deepStrictEqual([w.fromStep, w.toStep], [95_001, 100_000]);
    assert.ok(w.metrics.reward.x.length <= 2 * FIRST_PAINT_WIDTH);
  });
});
