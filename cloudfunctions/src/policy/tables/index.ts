/** Registry of published policy tables, by benefit year. A new year = a new table file + one line here. */
import type { PolicyTable } from '../types';
import { scheme2021 } from './scheme2021';
import { scheme2023 } from './scheme2023';

const TABLES: readonly PolicyTable[] = [scheme2021, scheme2023];

const BY_YEAR: { [year: number]: PolicyTable } = {};
for (const t of TABLES) BY_YEAR[t.benefitYear] = t;

/** The table of a benefit year, or undefined when none is published. */
export function findPolicyTable(benefitYear: number): PolicyTable | undefined {
  return Object.prototype.hasOwnProperty.call(BY_YEAR, benefitYear) ? BY_YEAR[benefitYear] : undefined;
}

/** Benefit years with a published table, ascending. */
export function listBenefitYears(): number[] {
  return TABLES.map((t) => t.benefitYear).sort((a, b) => a - b);
}

export { scheme2021, scheme2023 };
