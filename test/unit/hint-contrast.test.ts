/**
 * Grey hint text (hints, masks, descriptions: `$text-3`) and secondary text (`$text-2`) reach
 * WCAG AA 4.5:1 on every background they are drawn on: white cards, the page background and the
 * unselected choice. Colours are read from the stylesheets themselves, so a later edit is checked.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const SHEETS = ['src/app.scss', 'src/styles/resident.scss'].map((f) => [f, readFileSync(join(ROOT, f), 'utf8')] as const);

function variable(sheet: string, name: string): string | null {
  return new RegExp(`^\\$${name}:\\s*(#[0-9a-fA-F]{6})`, 'm').exec(sheet)?.[1] ?? null;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the formula: black on white is 21:1, the old hint grey #86909c on white fails', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrast('#86909c', '#ffffff')).toBeLessThan(4.5);
});

const BACKGROUNDS = ['#ffffff', '#f7f8fa'];

test.each(SHEETS)('%s: hint and secondary greys reach 4.5:1', (_file, sheet) => {
  const bg = variable(sheet, 'bg');
  for (const name of ['text-3', 'text-2', 'text']) {
    const colour = variable(sheet, name);
    if (!colour) continue;
    for (const back of [...BACKGROUNDS, ...(bg ? [bg] : [])]) {
      // The label makes a failure name the colour and the background.
      expect([`${name} ${colour} on ${back}`, contrast(colour, back) >= 4.5]).toEqual([`${name} ${colour} on ${back}`, true]);
    }
  }
  // Both sheets declare the same hint grey (one colour, not two drifting copies).
  expect(variable(sheet, 'text-3')).toBe(variable(SHEETS[0][1], 'text-3'));
});
