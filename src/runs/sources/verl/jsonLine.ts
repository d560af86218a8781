// Parsing one line verl wrote. verl up to v0.7.0 writes with Python's json.dumps, which
// writes NaN, Infinity and -Infinity as bare words (not JSON): a diverging run's most
// telling line would otherwise be lost. They are read as null, as our own format writes
// non-finite numbers.
import { parseRecord } from '../../lines';

const NON_FINITE = /NaN|Infinity/;

export function parseVerlLine(line: string): Record<string, unknown> | undefined {
  return parseRecord(line) ?? (NON_FINITE.test(line) ? parseRecord(nullNonFinite(line)) : undefined);
}

/** Replaces bare NaN/Infinity tokens outside strings with null. */
export function nullNonFinite(line: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      out += c;
      if (c === '\\') out += line[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const word = nonFiniteAt(line, i);
    if (word) {
      out += 'null';
      i += word.length - 1;
    } else out += c;
  }
  return out;
}

function nonFiniteAt(line: string, i: number): string | undefined {
  for (const word of ['NaN', 'Infinity', '-Infinity']) {
    if (line.startsWith(word, i)) return word;
  }
  return undefined;
}
