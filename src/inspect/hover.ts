// The hover of a token: its measures, and, when the inference service can describe the
// run, the alternatives the policy and the reference considered, side by side.
import * as vscode from 'vscode';
import { getTokenDetailProvider, type TokenAlternative, type TokenDetail } from './tokenDetails';
import type { CompletionProvider, Inspection } from './completionProvider';
import { tokenAt } from './measures';

function num(v: number | undefined, digits = 4): string {
  return v === undefined ? '–' : String(Number(v.toFixed(digits)));
}

/** A token shown literally: JSON-quoted so whitespace and control characters are visible. */
export function showToken(token: string): string {
  return JSON.stringify(token).replace(
    /[\u202A-\u202E\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
}

function alternatives(policy: TokenAlternative[], reference: TokenAlternative[] | undefined): string[] {
  const rows = ['| policy | p | reference | p |', '| --- | ---: | --- | ---: |'];
  const cell = (a?: TokenAlternative) =>
    a ? [`\`${showToken(a.token).replace(/`/g, 'ˋ').replace(/\|/g, '¦')}\``, num(a.prob, 3)] : ['', ''];
  for (let i = 0; i < Math.max(policy.length, reference?.length ?? 0); i++) {
    rows.push(`| ${[...cell(policy[i]), ...cell(reference?.[i])].join(' | ')} |`);
  }
  return rows;
}

export class TokenHover implements vscode.HoverProvider {
  private readonly details = new Map<string, Promise<TokenDetail[] | undefined>>();

  constructor(private readonly provider: CompletionProvider) {}

  /** Model details of a document's tokens, computed once per document (undefined when unavailable). */
  detailsFor(uri: vscode.Uri, inspection: Inspection): Promise<TokenDetail[] | undefined> {
    const key = uri.toString();
    let pending = this.details.get(key);
    if (!pending) {
      pending = describe(inspection);
      this.details.set(key, pending);
      // nothing to describe yet (no export): ask again next time, a checkpoint may bring one
      void pending.then(
        (d) => d === undefined && this.details.delete(key),
        () => this.details.delete(key),
      );
    }
    return pending;
  }

  forget(uri: vscode.Uri): void {
    this.details.delete(uri.toString());
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const inspection = this.provider.get(document.uri);
    if (!inspection) return undefined;
    const t = tokenAt(inspection.spans, document.offsetAt(position));
    if (t < 0) return undefined;
    const m = inspection.measures[t];
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown(`**Token ${t + 1} of ${inspection.tokens.length}**\n\n`);
    md.appendCodeblock(showToken(inspection.tokens[t]), 'json');
    const p = m.policyLogprob === undefined ? undefined : Math.exp(m.policyLogprob);
    md.appendMarkdown(
      [
        '| measure | value |',
        '| --- | ---: |',
        `| policy log-prob | ${num(m.policyLogprob)} (p ${num(p, 3)}) |`,
        `| reference log-prob | ${num(m.referenceLogprob)} |`,
        `| KL (k3) | ${num(m.kl)} |`,
        `| ratio π/π_ref | ${num(m.ratio)} |`,
      ].join('\n') + '\n',
    );
    const details = await this.detailsFor(document.uri, inspection).catch(() => undefined);
    const d = details?.[t];
    if (d) {
      md.appendMarkdown(`\n**Under the checkpoint's export** · entropy ${num(d.entropy, 3)} nats\n\n`);
      md.appendMarkdown(alternatives(d.policyTop, d.referenceTop).join('\n') + '\n');
    }
    const span = inspection.spans[t];
    return new vscode.Hover(
      md,
      new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)),
    );
  }
}

async function describe(inspection: Inspection): Promise<TokenDetail[] | undefined> {
  const provider = getTokenDetailProvider();
  if (!provider || inspection.tokens.length === 0) return undefined;
  if (!(await provider.canDescribe(inspection.runDir))) return undefined;
  return provider.describeTokens({
    runDir: inspection.runDir,
    prompt: String(inspection.group.prompt ?? ''),
    tokens: inspection.tokens,
    topK: 5,
  });
}
