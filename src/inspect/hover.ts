// The hover of a token: its measures, and, when the inference service can describe the
// run, the alternatives the policy and the reference considered, side by side, under the
// checkpoint chosen for the run (default: the policy that sampled the completion; see
// GRPO: Choose Inspection Checkpoint…, registered in src/inference/register.ts).
import * as vscode from 'vscode';
import * as path from 'path';
import {
  getInspectionCheckpoint,
  getTokenDetailProvider,
  onInspectionCheckpointChange,
  resolveCheckpoint,
  type CheckpointRelation,
  type InspectionCheckpoint,
  type TokenAlternative,
  type TokenDetail,
} from './tokenDetails';
import type { CompletionProvider, Inspection } from './completionProvider';
import { tokenAt } from './measures';
import { topAlternatives } from './trajectory';

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

/** Model details of a completion and the checkpoint they were computed under. */
export interface DescribedTokens {
  checkpoint: InspectionCheckpoint;
  relation: CheckpointRelation;
  details: TokenDetail[];
}

const RELATION: Record<CheckpointRelation, string> = {
  sampled: 'the policy that sampled this completion',
  before: 'the latest export before this completion was sampled',
  latest: 'latest checkpoint',
  chosen: 'chosen with GRPO: Choose Inspection Checkpoint…',
};

/** The hover's heading of the model section, e.g. "**Under checkpoint step-000050** · latest checkpoint". */
export function checkpointHeading(d: Pick<DescribedTokens, 'checkpoint' | 'relation'>): string {
  return `**Under checkpoint ${path.basename(d.checkpoint.dir)}** · ${RELATION[d.relation]}`;
}

export class TokenHover implements vscode.HoverProvider, vscode.Disposable {
  /** Keyed by document URI and checkpoint directory. */
  private readonly details = new Map<string, Promise<DescribedTokens | undefined>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly provider: CompletionProvider) {
    // a new choice for a run: its documents are described again on the next hover
    this.unsubscribe = onInspectionCheckpointChange((runDir) => {
      for (const key of [...this.details.keys()]) {
        const uri = key.slice(0, key.indexOf('\n'));
        if (this.provider.get(vscode.Uri.parse(uri))?.runDir === runDir) this.details.delete(key);
      }
    });
  }

  /** Model details of a document's tokens under the run's chosen checkpoint (undefined when unavailable). */
  async detailsFor(uri: vscode.Uri, inspection: Inspection): Promise<TokenDetail[] | undefined> {
    return (await this.describedFor(uri, inspection))?.details;
  }

  /** As detailsFor, with the checkpoint they come from; computed once per document and checkpoint. */
  async describedFor(uri: vscode.Uri, inspection: Inspection): Promise<DescribedTokens | undefined> {
    const provider = getTokenDetailProvider();
    if (!provider || inspection.tokens.length === 0) return undefined;
    const resolved = resolveCheckpoint(
      await provider.checkpoints(inspection.runDir),
      getInspectionCheckpoint(inspection.runDir),
      inspection.address.step,
    );
    if (!resolved) return undefined; // no export yet: ask again next time, a checkpoint may bring one
    const key = `${uri.toString()}\n${resolved.checkpoint.dir}`;
    let pending = this.details.get(key);
    if (!pending) {
      pending = provider
        .describeTokens({
          runDir: inspection.runDir,
          checkpointDir: resolved.checkpoint.dir,
          step: inspection.address.step,
          prompt: String(inspection.group.prompt ?? ''),
          tokens: inspection.tokens,
          tokenIds: inspection.tokenIds,
          topK: 5,
        })
        .then((details) => ({ ...resolved, details }));
      this.details.set(key, pending);
      pending.catch(() => this.details.delete(key));
    }
    return pending;
  }

  forget(uri: vscode.Uri): void {
    const prefix = `${uri.toString()}\n`;
    for (const key of [...this.details.keys()]) if (key.startsWith(prefix)) this.details.delete(key);
  }

  dispose(): void {
    this.unsubscribe();
    this.details.clear();
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
        '| measure (as logged) | value |',
        '| --- | ---: |',
        `| policy log-prob | ${num(m.policyLogprob)} (p ${num(p, 3)}) |`,
        `| reference log-prob | ${num(m.referenceLogprob)} |`,
        `| KL (k3) | ${num(m.kl)} |`,
        `| ratio π/π_ref | ${num(m.ratio)} |`,
      ].join('\n') + '\n',
    );
    const top = topAlternatives(inspection.group.completions[inspection.address.index], t);
    if (top) md.appendMarkdown('\n' + top.join('\n') + '\n');
    const described = await this.describedFor(document.uri, inspection).catch(() => undefined);
    const d = described?.details[t];
    if (described && d) {
      const moved = d.referenceLogprob === undefined ? undefined : d.policyLogprob - d.referenceLogprob;
      md.appendMarkdown(`\n${checkpointHeading(described)}\n\n`);
      md.appendMarkdown(
        `Under the checkpoint's export: log-prob ${num(d.policyLogprob)} · reference ${num(d.referenceLogprob)} · moved ${num(moved)} · entropy ${num(d.entropy, 3)} nats\n\n`,
      );
      md.appendMarkdown(alternatives(d.policyTop, d.referenceTop).join('\n') + '\n');
    }
    const span = inspection.spans[t];
    return new vscode.Hover(
      md,
      new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)),
    );
  }
}

/** Quick-pick items of GRPO: Choose Inspection Checkpoint… (choice: 'sampling', 'latest' or a directory). */
export function checkpointPickItems(
  exported: InspectionCheckpoint[],
  current: string,
): (vscode.QuickPickItem & { choice: string })[] {
  const mark = (choice: string) => (choice === current ? '(current)' : '');
  return [
    {
      label: 'The policy that sampled this completion (default)',
      description: mark('sampling'),
      detail: 'Its log-probs are the logged ones',
      choice: 'sampling',
    },
    ...[...exported].reverse().map((c) => ({
      label: path.basename(c.dir),
      description: mark(c.dir),
      detail: `step ${c.step}`,
      choice: c.dir,
    })),
    { label: 'Latest checkpoint', description: mark('latest'), choice: 'latest' },
  ];
}
