// Helpers the integration suites share for inline inspection: where a completion's text
// starts in its read-only document, and what the hover says there.
import * as vscode from 'vscode';

/** Offset of the completion's first character: just after the header's closing rule. */
export function completionBodyOffset(doc: vscode.TextDocument): number {
  return doc.getText().indexOf('─\n') + 2;
}

/** Every hover at `offset` of `doc`, as one markdown text. */
export async function hoverText(doc: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(offset),
  );
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
    .join('\n');
}

/** The hover on the completion's first token. */
export function hoverTextAtBody(doc: vscode.TextDocument): Promise<string> {
  return hoverText(doc, completionBodyOffset(doc));
}
