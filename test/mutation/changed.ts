/**
 * Which mutation modules a change touches (issue 16: "CI runs it on the modules a change
 * touches"): a module is touched when a changed file matches one of its `mutate` globs (the
 * code it breaks on purpose) or its `tests` globs (the tests that must catch it). A file its
 * globs exclude with `!` does not count.
 */
import { execFileSync } from 'child_process';
import picomatch from 'picomatch';

export interface ModuleGlobs {
  mutate: string[];
  tests: string[];
}

function matcher(globs: string[]): (file: string) => boolean {
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length ? picomatch(exclude) : () => false;
  return (file) => isIncluded(file) && !isExcluded(file);
}

export function modulesTouched(modules: Record<string, ModuleGlobs>, changedFiles: string[]): string[] {
  return Object.entries(modules)
    .filter(([, m]) => {
      const code = matcher(m.mutate);
      const tests = matcher(m.tests);
      return changedFiles.some((f) => code(f) || tests(f));
    })
    .map(([name]) => name);
}

/** Files changed between `base` and the working tree (committed or not), relative to the repository root. */
export function changedSince(base: string, cwd: string): string[] {
  const out = execFileSync('git', ['diff', '--name-only', base, '--'], { cwd, encoding: 'utf8' });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd, encoding: 'utf8' });
  return [...out.split('\n'), ...untracked.split('\n')].map((l) => l.trim()).filter(Boolean);
}
