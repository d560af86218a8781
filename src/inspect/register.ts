// Inline inspection: the grpo-lens-completion documents, their token colouring and
// hovers, and the commands that open them and step through a group.
import * as vscode from 'vscode';
import type { RunStore } from '../runs/model';
import { CompletionProvider, completionUri } from './completionProvider';
import { COMPLETION_SCHEME, decodeAddress, type CompletionAddress } from './completionUri';
import { TokenDecorations } from './decorations';
import { TokenHover } from './hover';
import { MEASURES, type MeasureId, type TokenMeasures } from './measures';
import { pickCompletion } from './quickPicks';
import { getTokenDetailProvider } from './tokenDetails';

export interface InspectionApi {
  provider: CompletionProvider;
  decorations: TokenDecorations;
  measure(): MeasureId;
}

function isAddress(arg: unknown): arg is CompletionAddress {
  const a = arg as Partial<CompletionAddress> | undefined;
  return !!a && typeof a.runId === 'string' && [a.step, a.group, a.index].every((n) => typeof n === 'number');
}

export function registerInspection(
  context: vscode.ExtensionContext,
  getStore: () => Promise<RunStore>,
): InspectionApi {
  const provider = new CompletionProvider(getStore);
  const decorations = new TokenDecorations();
  const hover = new TokenHover(provider);
  let measure: MeasureId = context.workspaceState.get<MeasureId>('grpoLens.tokenMeasure') ?? 'policyLogprob';

  /** Colours an editor's tokens; returns how many got a colour. */
  async function decorate(editor: vscode.TextEditor): Promise<number> {
    const inspection = provider.get(editor.document.uri);
    if (!inspection) return 0;
    let extra: TokenMeasures[] | undefined;
    if (measure === 'movedFromReference') {
      const details = await hover.detailsFor(editor.document.uri, inspection).catch(() => undefined);
      extra = details?.map((d) => ({
        movedFromReference:
          d.referenceLogprob === undefined ? undefined : d.policyLogprob - d.referenceLogprob,
      }));
    }
    const count = decorations.apply(editor, inspection, measure, extra);
    if (inspection.tokens.length === 0) decorations.lastCounts = [];
    return count;
  }

  const decorateVisible = () => {
    for (const e of vscode.window.visibleTextEditors)
      if (e.document.uri.scheme === COMPLETION_SCHEME) void decorate(e);
  };

  /** Opens a completion; returns its editor and how many tokens got a colour (tests read it). */
  async function open(
    a: CompletionAddress,
  ): Promise<{ editor: vscode.TextEditor; decoratedTokens: number } | undefined> {
    const store = await getStore();
    const uri = completionUri(store, a);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    // this editor's own count: decorateVisible may be colouring other editors meanwhile
    return { editor, decoratedTokens: await decorate(editor) };
  }

  async function inspect(arg?: unknown) {
    const address = isAddress(arg) ? arg : await pickCompletion(await getStore());
    return address ? open(address) : undefined;
  }

  async function step(delta: number) {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const a = uri?.scheme === COMPLETION_SCHEME ? decodeAddress(uri.query) : undefined;
    const inspection = uri && provider.get(uri);
    if (!a || !inspection) {
      void vscode.window.showInformationMessage(
        'GRPO Lens: open a completion with Inspect Completion first.',
      );
      return undefined;
    }
    const g = inspection.group.completions.length;
    return open({ ...a, index: (a.index + delta + g) % g });
  }

  /** From the palette (a quick pick), or with a measure id (keybindings, tests). */
  async function chooseMeasure(arg?: unknown) {
    if (typeof arg === 'string' && MEASURES.some((m) => m.id === arg)) {
      measure = arg as MeasureId;
      await context.workspaceState.update('grpoLens.tokenMeasure', measure);
      await Promise.all(
        vscode.window.visibleTextEditors
          .filter((e) => e.document.uri.scheme === COMPLETION_SCHEME)
          .map(decorate),
      );
      return measure;
    }
    const uri = vscode.window.activeTextEditor?.document.uri;
    const inspection = uri && provider.get(uri);
    const canModel =
      !!inspection &&
      !!getTokenDetailProvider() &&
      (await getTokenDetailProvider()!
        .canDescribe(inspection.runDir)
        .catch(() => false));
    const picked = await vscode.window.showQuickPick(
      MEASURES.filter((m) => !m.needsModel || canModel).map((m) => ({
        label: m.label,
        description: m.id === measure ? '(current)' : '',
        detail: m.description,
        id: m.id,
      })),
      { title: 'Colour tokens by' },
    );
    if (!picked) return;
    measure = picked.id;
    await context.workspaceState.update('grpoLens.tokenMeasure', measure);
    decorateVisible();
    return measure;
  }

  context.subscriptions.push(
    provider,
    decorations,
    vscode.workspace.registerTextDocumentContentProvider(COMPLETION_SCHEME, provider),
    vscode.languages.registerHoverProvider({ scheme: COMPLETION_SCHEME }, hover),
    vscode.window.onDidChangeVisibleTextEditors(decorateVisible),
    provider.onDidLoad((uri) => {
      for (const e of vscode.window.visibleTextEditors)
        if (e.document.uri.toString() === uri.toString()) void decorate(e);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== COMPLETION_SCHEME) return;
      provider.forget(d.uri);
      hover.forget(d.uri);
    }),
    vscode.commands.registerCommand('grpoLens.inspectCompletion', inspect),
    vscode.commands.registerCommand('grpoLens.nextCompletion', () => step(1)),
    vscode.commands.registerCommand('grpoLens.previousCompletion', () => step(-1)),
    vscode.commands.registerCommand('grpoLens.chooseTokenMeasure', chooseMeasure),
  );
  return { provider, decorations, measure: () => measure };
}
