// files.exclude as a test on absolute paths, for the workspace walk and the watcher. Pure.
import * as path from 'path';
import picomatch from 'picomatch';

/** files.exclude globs are relative to a workspace folder; a path outside every folder is never excluded. */
export function excludedBy(patterns: string[], folders: string[]): (absolutePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const match = picomatch(patterns, { dot: true });
  return (absolutePath) =>
    folders.some((folder) => {
      const rel = path.relative(folder, absolutePath);
      return (
        rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && match(rel.split(path.sep).join('/'))
      );
    });
}
