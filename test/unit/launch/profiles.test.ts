// Launch profiles against the schema we ship, and what a profile resolves to.
import * as assert from 'assert';
import * as path from 'path';
import { checkProfilesText, loadSchema } from '../../../src/launch/profiles';
import { builtinRefusal, resolveCommandProfile } from '../../../src/launch/resolve';
import { ROOT } from '../cli/harness';

const schema = loadSchema(path.join(ROOT, 'schemas', 'launch-profiles.schema.json'));

describe('launch profiles', () => {
  it('reads profiles of each kind from JSON with comments', () => {
    const text = `{
      // TRL on 4 GPUs
      "profiles": [
        { "name": "trl", "kind": "command", "command": "accelerate launch --num_processes 4 train_grpo.py",
          "watch": ["outputs/qwen-grpo"], "venv": ".venv", "env": { "WANDB_MODE": "offline" } },
        { "name": "ours", "kind": "builtin", "config": "tiny.grpo.json" },
        { "name": "cluster", "kind": "slurm", "config": "tiny.grpo.json", "partition": "debug" }
      ]
    }`;
    const { profiles, problems } = checkProfilesText(text, schema);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(
      profiles.map((p) => p.kind),
      ['command', 'builtin', 'slurm'],
    );
  });

  it('says where a profile is wrong: unknown option, wrong kind, missing command', () => {
    const text = '{ "profiles": [ { "name": "x", "kind": "command", "comand": "python3 t.py" } ] }';
    const { profiles, problems } = checkProfilesText(text, schema);
    assert.deepStrictEqual(profiles, []);
    const messages = problems.map((p) => p.message).join('\n');
    assert.match(messages, /unknown option "comand"/);
    assert.match(messages, /missing the required option "command"/);
    const unknown = problems.find((p) => /comand/.test(p.message))!;
    assert.strictEqual(text.slice(unknown.offset, unknown.offset + unknown.length), '"comand"');
    const wrongKind = checkProfilesText('{ "profiles": [ { "name": "x", "kind": "docker" } ] }', schema);
    assert.match(
      wrongKind.problems[0].message,
      /"profiles.0.kind" must be one of "builtin", "command", "slurm"/,
    );
  });

  it('refuses two profiles with one name', () => {
    const text =
      '{ "profiles": [ { "name": "a", "kind": "command", "command": "x" }, { "name": "a", "kind": "command", "command": "y" } ] }';
    assert.match(checkProfilesText(text, schema).problems[0].message, /Two profiles are named "a"/);
  });

  it('resolves cwd, watch, venv and the sidecar place next to the output', () => {
    const ws = '/ws';
    const launch = resolveCommandProfile(
      {
        name: 'trl',
        kind: 'command',
        command: ['python3', 't.py'],
        cwd: 'train',
        watch: ['out/run1'],
        venv: '.venv',
      },
      ws,
    );
    assert.strictEqual(launch.cwd, '/ws/train');
    assert.deepStrictEqual(launch.watch, ['/ws/train/out/run1']);
    assert.strictEqual(launch.runsDir, '/ws/train/out');
    assert.strictEqual(launch.env.VIRTUAL_ENV, '/ws/.venv');
    assert.ok(launch.env.PATH.startsWith('/ws/.venv/bin' + path.delimiter));
    const noWatch = resolveCommandProfile({ name: 'x', kind: 'command', command: 'make train' }, ws);
    assert.strictEqual(noWatch.runsDir, '/ws/runs');
  });

  it('refuses the built-in trainer on several processes: it is not distributed yet', () => {
    assert.strictEqual(
      builtinRefusal({ name: 'one', kind: 'builtin', config: 'c', nproc_per_node: 1 }),
      undefined,
    );
    assert.match(
      builtinRefusal({ name: 'two', kind: 'builtin', config: 'c', nproc_per_node: 2 }) ?? '',
      /2 process\(es\) per node on 1 node\(s\), but the built-in trainer is not distributed yet/,
    );
  });
});
