import * as assert from 'assert';
import * as path from 'path';
import { openRlhfSampleFeed, parseGeneratedSample } from '../../../../src/runs/sources/openrlhf/samples';
import { EventFileWriter } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { grpoStatus, logTrain } from './logTrain';

describe('OpenRLHF’s generated samples', () => {
  let logdir: string;
  beforeEach(() => (logdir = path.join(makeTempDir(), 'ppo_run')));
  afterEach(() => removeDir(path.dirname(logdir)));

  it('parses the current format (literal \\n separators) and keeps real newlines inside the text', () => {
    const logged = 'Sample:\\nuser\nWhat is 2+2?\nassistant\n4\\n\\nReward: 1.0000';
    assert.deepStrictEqual(parseGeneratedSample(logged), {
      text: 'user\nWhat is 2+2?\nassistant\n4',
      reward: 1,
    });
  });

  it('parses v0.8’s format (real newlines), negative rewards and nan', () => {
    assert.deepStrictEqual(parseGeneratedSample('Sample:\nthe text\n\nReward: -0.2500'), {
      text: 'the text',
      reward: -0.25,
    });
    assert.ok(Number.isNaN(parseGeneratedSample('Sample:\\nx\\n\\nReward: nan').reward));
  });

  it('keeps a text not in that format whole, with no reward', () => {
    const parsed = parseGeneratedSample('something else');
    assert.strictEqual(parsed.text, 'something else');
    assert.ok(Number.isNaN(parsed.reward));
  });

  it('lists the steps with a sample, follows new ones, and gives each as a group of one completion', async () => {
    const writer = new EventFileWriter(logdir);
    for (let step = 1; step <= 3; step++) logTrain(writer, step, grpoStatus(step));
    const feed = openRlhfSampleFeed(logdir);
    assert.deepStrictEqual(await feed.steps(), [1, 2, 3]);
    const [group] = await feed.at(2);
    assert.deepStrictEqual(group, {
      step: 2,
      group: 0,
      prompt: '',
      completions: [
        {
          text: 'user\nWhat is 2 + 2?\nassistant\n<think>easy</think> 4',
          reward: 1,
          rewards: {},
          advantage: 0,
          advantage_computed: true,
        },
      ],
    });
    logTrain(writer, 4, grpoStatus(4), true);
    assert.deepStrictEqual((await feed.poll()).newSteps, [4]);
    assert.strictEqual((await feed.at(4))[0].completions[0].reward, 1);
    assert.deepStrictEqual(await feed.at(99), []);
  });
});
