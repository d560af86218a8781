import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfigText } from '../../../src/trainer/configValidation';
import { CONFIG_TEMPLATES } from '../../../src/trainer/template';

const root = path.resolve(__dirname, '../../../..');
const schema = JSON.parse(
  fs.readFileSync(path.join(root, 'trainer/grpo_lens/config.schema.json'), 'utf8'),
) as object;

describe('the templates of New Config from Template', () => {
  it('offers the CPU demo and a Hugging Face model on a GPU', () => {
    assert.deepStrictEqual(
      CONFIG_TEMPLATES.map((t) => t.id),
      ['cpu-demo', 'hf-gpu'],
    );
  });

  for (const template of CONFIG_TEMPLATES) {
    it(`${template.id} passes the trainer's schema`, () => {
      const check = checkConfigText(template.text, schema);
      assert.deepStrictEqual(check.problems, []);
      assert.strictEqual(check.config?.name, 'my-run', 'the name the command replaces');
    });
  }

  it('the GPU template is a Hugging Face model in bf16 with LoRA', () => {
    const hf = CONFIG_TEMPLATES.find((t) => t.id === 'hf-gpu');
    const model = checkConfigText(hf?.text ?? '', schema).config?.model as Record<string, unknown>;
    assert.strictEqual(model.type, 'hf');
    assert.strictEqual(model.dtype, 'bfloat16');
    assert.ok(model.lora && typeof model.lora === 'object');
  });

  it('the CPU demo trains what npm run demo trains (reasoning-demo.grpo.json), but for its name and device', () => {
    const cpu = CONFIG_TEMPLATES.find((t) => t.id === 'cpu-demo');
    const script =
      'import sys, json; from grpo_lens.config import parse_config_text, resolve_config\n' +
      'def resolved(text):\n' +
      '    c = resolve_config(parse_config_text(text), ".")\n' +
      '    return {k: v for k, v in c.items() if k not in ("name", "device", "$schema")}\n' +
      'demo = open("configs/reasoning-demo.grpo.json").read()\n' +
      'print(json.dumps([resolved(sys.stdin.read()), resolved(demo)]))';
    const out = execFileSync('/usr/bin/python3', ['-c', script], {
      cwd: path.join(root, 'trainer'),
      input: cpu?.text ?? '',
    }).toString();
    const [template, demo] = JSON.parse(out) as [object, object];
    assert.deepStrictEqual(template, demo);
  });

  it("each template is read by the trainer's own config loader", () => {
    for (const template of CONFIG_TEMPLATES) {
      const script =
        'import sys, json; from grpo_lens.config import parse_config_text, resolve_config\n' +
        'raw = parse_config_text(sys.stdin.read())\n' +
        'print(json.dumps(resolve_config(raw, ".")["model"]["type"]))';
      const out = execFileSync('/usr/bin/python3', ['-c', script], {
        cwd: path.join(root, 'trainer'),
        input: template.text,
      }).toString();
      assert.strictEqual(JSON.parse(out), template.id === 'hf-gpu' ? 'hf' : 'tiny', template.id);
    }
  });
});
