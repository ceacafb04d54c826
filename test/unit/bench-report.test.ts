/** The command BENCHMARKS.md records (test/bench/report.ts typedArguments). */
import { typedArguments } from '../bench/report';

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
