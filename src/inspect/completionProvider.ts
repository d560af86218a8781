// Serves inspected completions as read-only documents (scheme grpo-lens-completion) and
// keeps, per open document, what decorations and hovers need: spans and measures.
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore, SampleGroup } from '../runs/model';
import {
  COMPLETION_SCHEME,
  completionPath,
  decodeAddress,
  encodeAddress,
  type CompletionAddress,
} from './completionUri';
import { renderCompletionDocument, type CompletionDocument } from './documentText';
import { tokenMeasures, tokenSpans, type TokenMeasures, type TokenSpan } from './measures';

export interface Inspection {
  address: CompletionAddress;
  runName: string;
  runDir: string;
  group: SampleGroup;
  doc: CompletionDocument;
  tokens: string[];
  /** The trainer's ids of tokens when it logged them (token_ids), else undefined. */
  tokenIds?: number[];
  spans: TokenSpan[];
  measures: TokenMeasures[];
}

/** Logged token ids that can stand for the tokens: integers, one per token. */
function loggedIds(ids: unknown, count: number): number[] | undefined {
  if (!Array.isArray(ids) || count === 0 || ids.length !== count) return undefined;
  return ids.every((id) => Number.isInteger(id) && id >= 0) ? (ids as number[]) : undefined;
}

export function runNameOf(store: RunStore, runId: string): string {
  return store.get(runId)?.name ?? path.basename(runId);
}

export function completionUri(store: RunStore, a: CompletionAddress): vscode.Uri {
  return vscode.Uri.from({
    scheme: COMPLETION_SCHEME,
    path: completionPath(runNameOf(store, a.runId), a),
    query: encodeAddress(a),
  });
}

export class CompletionProvider implements vscode.TextDocumentContentProvider {
  private readonly inspections = new Map<string, Inspection>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly loaded = new vscode.EventEmitter<vscode.Uri>();
  /** Fires once a document's content (and its spans and measures) is known: decorate it then. */
  readonly onDidLoad = this.loaded.event;

  constructor(private readonly getStore: () => Promise<RunStore>) {}

  get(uri: vscode.Uri): Inspection | undefined {
    return this.inspections.get(uri.toString());
  }

  async load(a: CompletionAddress): Promise<Inspection> {
    const store = await this.getStore();
    const groups = await store.samplesAt(a.runId, a.step);
    const group = groups.find((g) => g.group === a.group);
    const completion = group?.completions?.[a.index];
    if (!group || !completion)
      throw new Error(`No completion ${a.index} in group ${a.group} at step ${a.step}.`);
    const runName = runNameOf(store, a.runId);
    const doc = renderCompletionDocument(runName, group, a.index);
    const tokens = doc.hasTokens ? (completion.tokens as string[]).map(String) : [];
    const spans = tokenSpans(String(completion.text ?? ''), tokens).map((s) => ({
      start: s.start + doc.bodyOffset,
      end: s.end + doc.bodyOffset,
    }));
    const measures = tokenMeasures(completion.logprobs, completion.ref_logprobs, tokens.length);
    return {
      address: a,
      runName,
      runDir: store.get(a.runId)?.dir ?? a.runId,
      group,
      doc,
      tokens,
      tokenIds: loggedIds(completion.token_ids, tokens.length),
      spans,
      measures,
    };
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const a = decodeAddress(uri.query);
    if (!a) return '# GRPO Lens: this completion address is not valid.';
    try {
      const inspection = await this.load(a);
      this.inspections.set(uri.toString(), inspection);
      // an editor restored after a reload can be visible before its content exists
      setTimeout(() => this.loaded.fire(uri), 0);
      return inspection.doc.text;
    } catch (err) {
      return `# GRPO Lens: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  forget(uri: vscode.Uri): void {
    this.inspections.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
    this.loaded.dispose();
  }
}
