/**
 * Registry of policy tables, by benefit year. The built-in tables (2022 from the 2021 scheme,
 * 2024 from the 2023 scheme) are seeds; a later year is a table the city centre publishes as
 * data, which the caller (the domain's policy port) passes in as `published`. The engine keeps
 * no state of its own: the same inputs always give the same answer.
 */
import type { ParsedPolicyTable } from '../schema';
import type { PolicyTable } from '../types';
import { scheme2021 } from './scheme2021';
import { scheme2023 } from './scheme2023';

const TABLES: readonly PolicyTable[] = [scheme2021, scheme2023];

const BY_YEAR: { [year: number]: PolicyTable } = {};
for (const t of TABLES) BY_YEAR[t.benefitYear] = t;

/** Benefit years whose table is built in: never replaced by a published one. */
export const BUILT_IN_YEARS: readonly number[] = TABLES.map((t) => t.benefitYear);

/**
 * The table of a benefit year, or undefined when none is published. A built-in year always
 * answers with its built-in table, whatever `published` holds.
 */
export function findPolicyTable(benefitYear: number, published: readonly PolicyTable[] = []): PolicyTable | undefined {
  if (Object.prototype.hasOwnProperty.call(BY_YEAR, benefitYear)) return BY_YEAR[benefitYear];
  return published.find((t) => t.benefitYear === benefitYear);
}

/** Benefit years with a table (built in, or among `published`), ascending. */
export function listBenefitYears(published: readonly PolicyTable[] = []): number[] {
  const years = new Set<number>(BUILT_IN_YEARS);
  for (const t of published) years.add(t.benefitYear);
  return [...years].sort((a, b) => a - b);
}

// The zod schema (schema.ts) and the interface (types.ts) describe the same table: a field added
// to one and not the other fails the type check here.
type Assert<T extends true> = T;
export type TableSchemaMatchesType = Assert<ParsedPolicyTable extends PolicyTable ? (PolicyTable extends ParsedPolicyTable ? true : false) : false>;

export { scheme2021, scheme2023 };
