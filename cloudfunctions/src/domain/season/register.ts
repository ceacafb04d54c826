/**
 * The household-register extract (户籍人口) the city centre imports for screening: one document
 * per person keyed by the ID number's keyed hash (`hukou_register/<idHash>`), and the population
 * per district (`hukou_counts/<district>`), recounted by the database (aggregation) when an
 * import ends, so the progress table reads a dozen documents.
 */
import type { Deps } from '../context';

export const HUKOU_REGISTER = 'hukou_register';
export const HUKOU_COUNTS = 'hukou_counts';

export interface HukouCountDoc {
  _id: string;
  district: string;
  count: number;
  updatedAt: string;
}

export async function hukouByDistrict(deps: Pick<Deps, 'db'>): Promise<{ byDistrict: Map<string, number>; updatedAt: string | null }> {
  const docs = await deps.db.find<HukouCountDoc>(HUKOU_COUNTS, {}, { limit: 100 });
  return { byDistrict: new Map(docs.map((d) => [d.district, d.count])), updatedAt: docs.reduce<string | null>((a, d) => (a && a > d.updatedAt ? a : d.updatedAt), null) };
}
