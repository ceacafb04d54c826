/** The command BENCHMARKS.md records (test/bench/report.ts typedArguments) and `--update`'s merge. */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { figures, record, typedArguments, updateMarkdown } from '../bench/report';

describe('typedArguments: what was typed after npm run <script> --', () => {
  const million = 'node --max-old-space-size=20480 --import tsx test/bench/run.ts --city 100000,1000000';
  test.each([
    ['npm run bench', ['--only', 'micro'], 'tsx test/bench/run.ts', ['--only', 'micro']],
    ['npm run bench:million', ['--city', '100000,1000000'], million, []],
    ['npm run bench:million -- --only city', ['--city', '100000,1000000', '--only', 'city'], million, ['--only', 'city']],
    ['tsx test/bench/run.ts --no-write (no npm)', ['--no-write'], undefined, ['--no-write']],
    ['a script whose own arguments argv does not start with', ['--only', 'size'], million, ['--only', 'size']],
  ])('%s', (_what, argv, script, typed) => {
    expect(typedArguments(argv, script)).toEqual(typed);
  });
});

describe('--update: re-measured sections replace their namesakes, the rest stays', () => {
  const OLD = [
    '# Benchmarks',
    '',
    'Written by `npm run bench:million` (test/bench/run.ts).',
    '',
    '- Commit: b9d1ab4, as the run started',
    '',
    '## City-scale jobs',
    '',
    '| Figure | Value | Budget | Verdict | How it was taken |',
    '|---|---|---|---|---|',
    '| screening: time growth | 10.89× | ≤ 11× | met | ratio |',
    '',
    '## First screen (H5, Chromium)',
    '',
    '| Figure | Value | Budget | Verdict | How it was taken |',
    '|---|---|---|---|---|',
    '| home, phone profile | cold 2662 ms | cold < 2.5 s | **missed** | old way |',
    '',
    '## Budgets',
    '',
    '- met: City-scale jobs — screening: time growth (10.89×; budget ≤ 11×)',
    '- **MISSED**: First screen (H5, Chromium) — home, phone profile (cold 2662 ms; budget cold < 2.5 s)',
    '',
  ].join('\n');

  test('the city section and its budget line are kept word for word; the first screen is the new run, stamped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-md-'));
    const file = join(dir, 'BENCHMARKS.md');
    writeFileSync(file, OLD);
    figures.length = 0;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    record({ section: 'First screen (H5, Chromium)', name: 'home, phone profile', value: 'cold 2301 ms', how: 'new way', budget: 'cold < 2.5 s', ok: true });
    updateMarkdown(file, 'npm run bench -- --only first-screen --update', ['a note.']);
    const out = readFileSync(file, 'utf8');
    expect(out).toContain('| screening: time growth | 10.89× | ≤ 11× | met | ratio |');
    expect(out).toContain('- met: City-scale jobs — screening: time growth (10.89×; budget ≤ 11×)');
    expect(out).toContain('| home, phone profile | cold 2301 ms | cold < 2.5 s | met | new way |');
    expect(out).not.toContain('2662');
    expect(out).toContain('- met: First screen (H5, Chromium) — home, phone profile (cold 2301 ms; budget cold < 2.5 s)');
    expect(out).toMatch(/## First screen \(H5, Chromium\)\n\n_Re-measured by `npm run bench -- --only first-screen --update`/);
    expect(out).toContain('- Commit: b9d1ab4, as the run started');
    expect(out).toMatch(/^> Re-measured by `npm run bench -- --only first-screen --update` \(.*\): First screen \(H5, Chromium\)\. a note\. The other sections are from the run above\.$/m);
    // The sections keep the old file's order; Budgets comes last.
    expect(out.indexOf('## City-scale jobs')).toBeLessThan(out.indexOf('## First screen'));
    expect(out.indexOf('## First screen')).toBeLessThan(out.indexOf('## Budgets'));
    figures.length = 0;
  });

  test('a later update of the same section replaces the earlier stamp in the header; a stamp naming another section too stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-md-'));
    const file = join(dir, 'BENCHMARKS.md');
    const both = '> Re-measured by `npm run bench -- --only city,first-screen --update` (Commit: a1, as the run started; …): City-scale jobs, First screen (H5, Chromium). The other sections are from the run above.';
    writeFileSync(file, OLD);
    figures.length = 0;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    record({ section: 'First screen (H5, Chromium)', name: 'home, phone profile', value: 'cold 2400 ms', how: 'first', budget: 'cold < 2.5 s', ok: true });
    updateMarkdown(file, 'npm run bench -- --only first-screen --update', []);
    writeFileSync(file, readFileSync(file, 'utf8').replace('- Commit: b9d1ab4, as the run started\n', `- Commit: b9d1ab4, as the run started\n\n${both}\n`));
    figures.length = 0;
    record({ section: 'First screen (H5, Chromium)', name: 'home, phone profile', value: 'cold 2300 ms', how: 'second', budget: 'cold < 2.5 s', ok: true });
    updateMarkdown(file, 'npm run bench -- --only first-screen --update', ['second.']);
    const out = readFileSync(file, 'utf8');
    const stamps = out.split('\n').filter((l) => l.startsWith('> Re-measured by '));
    expect(stamps).toEqual([both, expect.stringMatching(/: First screen \(H5, Chromium\)\. second\. The other sections/)]);
    expect(out).not.toMatch(/\n{3,}/);
    figures.length = 0;
  });
});
