// The environment a launched command runs in: ours plus what the profile sets, with a
// virtual environment "activated" the way its bin/activate does (VIRTUAL_ENV, its bin
// first on PATH) and an interpreter's folder first on PATH, so that `python3`,
// `accelerate`, `torchrun` in the command line are the ones the user chose.
import * as path from 'path';

export interface EnvChoice {
  env?: Record<string, string>;
  /** A virtual environment folder (the one holding bin/activate). */
  venv?: string;
  /** A Python interpreter; its folder goes first on PATH. */
  interpreter?: string;
}

/** What the profile adds to the environment (recorded in launch.json and applied by the supervisor). */
export function profileEnv(choice: EnvChoice, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const added: Record<string, string> = { PYTHONUNBUFFERED: '1', ...choice.env };
  const front: string[] = [];
  if (choice.venv) {
    added.VIRTUAL_ENV = choice.venv;
    front.push(path.join(choice.venv, process.platform === 'win32' ? 'Scripts' : 'bin'));
  }
  if (choice.interpreter && path.isAbsolute(choice.interpreter)) front.push(path.dirname(choice.interpreter));
  if (front.length > 0)
    added.PATH = [...front, choice.env?.PATH ?? base.PATH ?? ''].filter(Boolean).join(path.delimiter);
  return added;
}

export function commandEnv(added: Record<string, string>, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...added };
  // The supervisor runs as node under the extension host; the command must not inherit that.
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
