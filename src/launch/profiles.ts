// Launch profiles: .vscode/grpo-lens.json (JSON with comments), checked against the
// schema shipped in schemas/launch-profiles.schema.json, which also gives IntelliSense
// in the editor (package.json jsonValidation). Pure: text in, profiles or problems out.
import * as fs from 'fs';
import * as path from 'path';
import { checkConfigText, type ConfigProblem } from '../trainer/configValidation';

export const PROFILES_FILE = path.join('.vscode', 'grpo-lens.json');

export interface LaunchProfile {
  name: string;
  kind: 'builtin' | 'command' | 'slurm';
  config?: string;
  nproc_per_node?: number;
  nnodes?: number;
  node_rank?: number;
  rdzv_endpoint?: string;
  rdzv_id?: string;
  rdzv_backend?: string;
  command?: string | string[];
  cwd?: string;
  env?: Record<string, string>;
  venv?: string;
  interpreter?: string;
  watch?: string[];
  runsDir?: string;
  script?: string;
  sbatch?: string[];
  partition?: string;
  nodes?: number;
  gpus_per_node?: number;
  time?: string;
}

export interface ProfilesCheck {
  profiles: LaunchProfile[];
  problems: ConfigProblem[];
}

export function checkProfilesText(text: string, schema: object): ProfilesCheck {
  const { problems, config } = checkConfigText(text, schema);
  const profiles = problems.length === 0 ? ((config?.profiles as LaunchProfile[] | undefined) ?? []) : [];
  const named = new Set<string>();
  for (const profile of profiles) {
    if (named.has(profile.name))
      problems.push({
        message: `Two profiles are named "${profile.name}": names must differ.`,
        offset: 0,
        length: 1,
      });
    named.add(profile.name);
  }
  return { profiles: problems.length === 0 ? profiles : [], problems };
}

export function loadSchema(schemaPath: string): object {
  return JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object;
}
