/**
 * Prints every figure the reliability parts reported (support.ts figure()), as one table at the
 * end of the run, under the usual jest output.
 */
const { readFileSync } = require('fs');
const { join } = require('path');

class FiguresReporter {
  onRunComplete() {
    const out = process.env.RELIABILITY_OUT || join(__dirname, '..', '..', 'test-results', 'reliability');
    let rows = [];
    try {
      rows = readFileSync(join(out, 'figures.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    } catch {
      return;
    }
    const lines = ['', 'Reliability figures', '-------------------'];
    let part = '';
    for (const r of rows) {
      if (r.part !== part) lines.push(`${(part = r.part)}:`);
      lines.push(`  ${r.name}: ${r.value}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
}
module.exports = FiguresReporter;
