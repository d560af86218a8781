// Launch profiles against the schema we ship, and what a profile resolves to.
import * as assert from 'assert';
import * as path from 'path';
import { checkProfilesText, loadSchema } from '../../../src/launch/profiles';
import { builtinLauncher, resolveCommandProfile, resumeLauncher } from '../../../src/launch/resolve';
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

  it('runs the built-in trainer on one process without a launcher, on several under torchrun', () => {
    assert.deepStrictEqual(
      builtinLauncher({ name: 'one', kind: 'builtin', config: 'c', nproc_per_node: 1 }),
      {
        args: [],
      },
    );
    assert.deepStrictEqual(
      builtinLauncher({ name: 'two', kind: 'builtin', config: 'c', nproc_per_node: 2 }),
      {
        args: ['-m', 'grpo_lens.torchrun', '--nproc_per_node', '2', '--standalone', '--nnodes', '1'],
      },
    );
  });

  it('runs the built-in trainer on several nodes with the rendezvous of the profile', () => {
    const twoNodes = {
      name: 'big',
      kind: 'builtin' as const,
      config: 'c',
      nproc_per_node: 8,
      nnodes: 2,
      rdzv_endpoint: 'node0:29500',
    };
    assert.deepStrictEqual(builtinLauncher(twoNodes), {
      args: [
        '-m',
        'grpo_lens.torchrun',
        '--nproc_per_node',
        '8',
        '--nnodes',
        '2',
        '--rdzv_backend',
        'c10d',
        '--rdzv_endpoint',
        'node0:29500',
        '--rdzv_id',
        'big',
      ],
    });
    const statically = builtinLauncher({ ...twoNodes, rdzv_backend: 'static', rdzv_id: 'r7', node_rank: 1 });
    assert.deepStrictEqual('args' in statically ? statically.args.slice(4) : [], [
      '--nnodes',
      '2',
      '--rdzv_backend',
      'static',
      '--rdzv_endpoint',
      'node0:29500',
      '--rdzv_id',
      'r7',
      '--node_rank',
      '1',
    ]);
    const lost = builtinLauncher({ ...twoNodes, rdzv_endpoint: undefined });
    assert.match('refusal' in lost ? lost.refusal : '', /runs on 2 nodes: set "rdzv_endpoint"/);
  });

  it('resumes a run at the world size run.json names', () => {
    assert.deepStrictEqual(resumeLauncher('solo', { config: {} }), { args: [] });
    assert.deepStrictEqual(resumeLauncher('old', undefined), { args: [] });
    const two = resumeLauncher('two', { distributed: { world_size: 2, nproc_per_node: 2, nnodes: 1 } });
    assert.deepStrictEqual('args' in two ? two.args.slice(0, 4) : [], [
      '-m',
      'grpo_lens.torchrun',
      '--nproc_per_node',
      '2',
    ]);
    const nodes = resumeLauncher('big', { distributed: { world_size: 16, nproc_per_node: 8, nnodes: 2 } });
    assert.match('refusal' in nodes ? nodes.refusal : '', /trained on 2 nodes: resume it on every node/);
  });
});
