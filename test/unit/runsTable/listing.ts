// Every file under a folder with its size and modification time: a test compares two
// listings to show that nothing was written into another trainer's folder.
import * as fs from 'fs';
import * as path from 'path';

export function listing(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      const st = fs.statSync(full);
      return `${path.relative(dir, full)} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}
