// A chat-format run's prompt, as transformers' apply_chat_template(add_generation_prompt=True)
// renders it and the trainer encodes it (no BOS added): a ChatML template rendered by
// @huggingface/jinja, encoded by @huggingface/tokenizers with a BPE tokenizer.json built here.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BpeTokenizer, type HfTokenizerConfig } from '../../../src/inference/bpeTokenizer';
import { promptFormat, renderChat } from '../../../src/inference/chatPrompt';
import { InferenceError } from '../../../src/inference/errors';
import { loadTokenizer } from '../../../src/inference/exports';
import { promptContext } from '../../../src/inference/tokenDetailProvider';
import { CharTokenizer, type RunTokenizer } from '../../../src/inference/tokenizer';
import { buildBpeTokenizer, CHATML, referenceEncode, SPECIAL } from './bpeFixture';

const ROOT = path.resolve(__dirname, '../../../..');
const SYSTEM = 'You are a careful tutor.';
const PROMPT = 'What is 3+4?';
const RENDERED = `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${PROMPT}<|im_end|>\n<|im_start|>assistant\n`;
const CHAT = { prompt_format: 'chat', system_prompt: SYSTEM };

const fixture = buildBpeTokenizer(
  ['What is 3+4? The answer is 7.', 'You are a careful tutor.', 'user system'],
  40,
);
const CONFIG: HfTokenizerConfig = {
  bos_token: '<|endoftext|>', // a BOS, so that a chat context visibly has none added
  eos_token: '<|im_end|>',
  pad_token: '<|endoftext|>',
  chat_template: CHATML,
};

/** The ids of text, each special token one id and the text between them BPE-encoded. */
function expectedIds(text: string): number[] {
  return text
    .split(/(<\|endoftext\|>|<\|im_start\|>|<\|im_end\|>)/)
    .flatMap((part) =>
      SPECIAL.includes(part) ? [fixture.vocab.get(part)!] : referenceEncode(fixture, part),
    );
}

function chatError(pattern: RegExp) {
  return (err: unknown) =>
    err instanceof InferenceError && err.code === 'bad-input' && pattern.test(err.message);
}

describe('chat-format prompts (chat template, no BOS)', () => {
  const tok = new BpeTokenizer(fixture.json, CONFIG);

  it('renders ChatML with the system prompt first and the assistant turn opened', () => {
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: PROMPT },
    ];
    assert.strictEqual(renderChat(tok.chat, messages), RENDERED);
  });

  it('encodes the rendered prompt without a BOS, each chat marker one special token', () => {
    const context = promptContext(tok, PROMPT, 8, promptFormat(CHAT));
    assert.deepStrictEqual(context, expectedIds(RENDERED));
    assert.strictEqual(context[0], fixture.vocab.get('<|im_start|>'));
    assert.notStrictEqual(context[0], tok.bosId);
    // without a system prompt: the user message alone
    const userOnly = promptContext(tok, PROMPT, 8, promptFormat({ prompt_format: 'chat' }));
    assert.deepStrictEqual(
      userOnly,
      expectedIds(`<|im_start|>user\n${PROMPT}<|im_end|>\n<|im_start|>assistant\n`),
    );
  });

  it('cuts a chat context from the left to fit the model, as a plain one', () => {
    const short = new BpeTokenizer(fixture.json, { ...CONFIG, model_max_length: 20 });
    assert.deepStrictEqual(
      promptContext(short, PROMPT, 8, promptFormat(CHAT)),
      expectedIds(RENDERED).slice(-12),
    );
  });

  it('keeps a plain run and the tiny model at BOS + prompt', () => {
    assert.deepStrictEqual(promptFormat({ temperature: 1 }), { format: 'plain' });
    assert.deepStrictEqual(promptContext(tok, PROMPT, 8, promptFormat({ prompt_format: 'plain' })), [
      tok.bosId!,
      ...referenceEncode(fixture, PROMPT),
    ]);
    const char = new CharTokenizer(
      JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/onnx/tokenizer.json'), 'utf8')),
    );
    assert.strictEqual((char as RunTokenizer).chat, undefined);
    assert.deepStrictEqual(promptContext(char, '1+2=', 8, promptFormat(CHAT)), char.encodePrompt('1+2='));
  });

  it('renders as transformers does: trim_blocks, lstrip_blocks, special tokens, tools None', () => {
    const render = (template: string) =>
      renderChat({ ...tok.chat, template }, [{ role: 'user', content: 'hi' }]);
    assert.strictEqual(render('{% if true %}\n    {% if true %}\nA{% endif %}\n{% endif %}'), 'A');
    assert.strictEqual(
      render('{{ bos_token }}|{{ eos_token }}|{{ pad_token }}'),
      '<|endoftext|>|<|im_end|>|<|endoftext|>',
    );
    assert.strictEqual(render('{% if tools is not none %}T{% endif %}{{ messages[0].content }}'), 'hi');
  });

  it('says so when a chat run has no chat template', () => {
    const bare = new BpeTokenizer(fixture.json, { ...CONFIG, chat_template: undefined });
    assert.throws(
      () => promptContext(bare, PROMPT, 8, promptFormat(CHAT)),
      chatError(/has no chat_template/),
    );
  });

  it('passes a template error on as one line, not a stack', () => {
    const failing = '{{ raise_exception("Conversation roles must alternate user/assistant") }}';
    const raising = new BpeTokenizer(fixture.json, { ...CONFIG, chat_template: failing });
    assert.throws(
      () => promptContext(raising, PROMPT, 8, promptFormat(CHAT)),
      chatError(
        /^The run's chat template \(tokenizer_config\.json\) could not be rendered: Conversation roles must alternate user\/assistant$/,
      ),
    );
    const broken = new BpeTokenizer(fixture.json, { ...CONFIG, chat_template: '{% for m in messages %}' });
    assert.throws(
      () => promptContext(broken, PROMPT, 8, promptFormat(CHAT)),
      chatError(/could not be rendered: /),
    );
  });

  it('reads the chat template from the run’s tokenizer_config.json (a string or named templates)', async () => {
    const run = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-chat-'));
    fs.writeFileSync(path.join(run, 'tokenizer.json'), JSON.stringify(fixture.json));
    const withConfig = async (config: object) => {
      fs.writeFileSync(path.join(run, 'tokenizer_config.json'), JSON.stringify(config));
      return (await loadTokenizer(run)).chat?.template;
    };
    assert.strictEqual(await withConfig(CONFIG), CHATML);
    const named = [
      { name: 'tool_use', template: 'T' },
      { name: 'default', template: CHATML },
    ];
    assert.strictEqual(await withConfig({ ...CONFIG, chat_template: named }), CHATML);
    assert.strictEqual(await withConfig({ eos_token: '<|im_end|>' }), undefined);
    fs.rmSync(run, { recursive: true, force: true });
  });
});
