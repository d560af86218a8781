// Splits the compiled integration suite into launches. Each launch is one code-server
// (or VS Code) window with one workspace and one trust state. A test file says what it
// needs through its name and an optional directive:
//   name.test.ts            default launch: trusted, fresh temp workspace, shared by all such files
//   name.untrusted.test.ts  one shared launch in Restricted Mode (workspace trust on, not trusted)
//   name.isolated.test.ts   a launch of its own (add .untrusted too for an untrusted one)
//   name.driven.test.ts     never run by itself: an outer test (test/ui) runs it with
//                           runHostSuite({ files: [...] }), e.g. before and after a reload
//   // @host-workspace test/fixtures/<dir>   (a comment in the file's first 20 lines)
//                           the launch's workspace starts as a copy of that folder
import * as fs from 'fs';
import * as path from 'path';
import { matchFiles } from './glob';
import { suiteDir } from './paths';

export interface HostLaunch {
  /** Short name for logs and screenshots. */
  label: string;
  trusted: boolean;
  /** Folder copied into the launch's temp workspace, relative to the repository. */
  workspaceFrom?: string;
  /** Test files relative to out/test/suite. */
  files: string[];
}

export interface HostFileTraits {
  trusted: boolean;
  isolated: boolean;
  driven: boolean;
  workspaceFrom?: string;
}

export function fileTraits(rel: string, dir = suiteDir): HostFileTraits {
  const parts = path.basename(rel).split('.');
  let workspaceFrom: string | undefined;
  try {
    const head = fs.readFileSync(path.join(dir, rel), 'utf8').split('\n').slice(0, 20);
    const directive = head.map((l) => /\/\/\s*@host-workspace\s+(\S+)/.exec(l)).find(Boolean);
    workspaceFrom = directive?.[1];
  } catch {
    // unreadable: no directive
  }
  return {
    trusted: !parts.includes('untrusted'),
    isolated: parts.includes('isolated'),
    driven: parts.includes('driven'),
    workspaceFrom,
  };
}

/** Every test file of the suite that runs by default (everything but *.driven.test.js). */
export function suiteFiles(dir = suiteDir, glob = '**/*.test.js'): string[] {
  return matchFiles(dir, [glob]).filter((rel) => !fileTraits(rel, dir).driven);
}

/** Groups test files into launches, in a stable order: trusted first, then untrusted, then isolated. */
export function planLaunches(files: string[], dir = suiteDir): HostLaunch[] {
  const shared = new Map<string, HostLaunch>();
  const isolated: HostLaunch[] = [];
  for (const rel of files) {
    const t = fileTraits(rel, dir);
    if (t.driven) continue;
    const trust = t.trusted ? 'trusted' : 'untrusted';
    if (t.isolated) {
      const label = rel.replace(/\.test\.js$/, '').replace(/[^\w.-]+/g, '-');
      isolated.push({ label, trusted: t.trusted, workspaceFrom: t.workspaceFrom, files: [rel] });
      continue;
    }
    const key = `${trust}|${t.workspaceFrom ?? ''}`;
    const label = t.workspaceFrom ? `${trust}-${path.basename(t.workspaceFrom)}` : trust;
    const launch = shared.get(key) ?? {
      label,
      trusted: t.trusted,
      workspaceFrom: t.workspaceFrom,
      files: [],
    };
    launch.files.push(rel);
    shared.set(key, launch);
  }
  const ordered = [...shared.values()].sort((a, b) => Number(b.trusted) - Number(a.trusted));
  return [...ordered, ...isolated];
}
