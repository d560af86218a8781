// Colours each token of an inspected completion by the chosen measure: one decoration
// type per colour bucket, so a long completion costs a handful of setDecorations calls.
import * as vscode from 'vscode';
import type { Inspection } from './completionProvider';
import { bucketOf, measureInfo, type MeasureId, type MeasureInfo, type TokenMeasures } from './measures';

const LEVELS = 4;
// Heat colours with alpha, readable on light, dark and high-contrast backgrounds.
const WARM = '230, 80, 60';
const COOL = '60, 140, 230';

function makeTypes(rgb: string): vscode.TextEditorDecorationType[] {
  return Array.from({ length: LEVELS }, (_, i) =>
    vscode.window.createTextEditorDecorationType({
      backgroundColor: `rgba(${rgb}, ${(0.15 + 0.17 * i).toFixed(2)})`,
      borderRadius: '2px',
    }),
  );
}

export class TokenDecorations implements vscode.Disposable {
  private readonly warm = makeTypes(WARM);
  private readonly cool = makeTypes(COOL);
  /** Decorated ranges per bucket of the last apply, whatever the editor (apply returns its own total). */
  lastCounts: number[] = [];

  apply(
    editor: vscode.TextEditor,
    inspection: Inspection,
    measure: MeasureId,
    extra?: TokenMeasures[],
  ): number {
    const info: MeasureInfo = measureInfo(measure);
    const warm: vscode.Range[][] = this.warm.map(() => []);
    const cool: vscode.Range[][] = this.cool.map(() => []);
    const doc = editor.document;
    inspection.spans.forEach((span, t) => {
      if (span.end <= span.start) return;
      const m = measure === 'movedFromReference' ? extra?.[t] : inspection.measures[t];
      const b = bucketOf(info, m?.[measure]);
      if (b === 0) return;
      const range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
      // diverging: above neutral warm, below cool; one-sided scales are warm
      (b > 0 ? warm : cool)[Math.min(LEVELS, Math.abs(b)) - 1].push(range);
    });
    this.warm.forEach((type, i) => editor.setDecorations(type, warm[i]));
    this.cool.forEach((type, i) => editor.setDecorations(type, cool[i]));
    this.lastCounts = [...warm, ...cool].map((r) => r.length);
    return this.lastCounts.reduce((x, y) => x + y, 0);
  }

  clear(editor: vscode.TextEditor): void {
    for (const type of [...this.warm, ...this.cool]) editor.setDecorations(type, []);
  }

  dispose(): void {
    for (const type of [...this.warm, ...this.cool]) type.dispose();
  }
}
