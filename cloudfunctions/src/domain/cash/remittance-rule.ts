/**
 * The remittance rule for community cash (社区现金汇缴入库) of a benefit year, from the policy
 * table's `keyDates.cashRemittance`.
 *
 * [interpretation] The 2023 scheme allows cash collection (五（一）) but states no remittance
 * rule (its table holds null, never a carried-over value). The desk needs one, so a year whose
 * table is null applies the last rule a scheme did state — the 2021 scheme's 五、参保办法（一）:
 * "现金应于30天内或金额达到20万元时…汇缴入库" — and says so (`adopted: true`). A future scheme
 * that states its own numbers is used as published, with no code change.
 */
import type { z } from 'zod';
import type { remittanceRuleSchema } from '../../contracts/staffCash';
import { AppError } from '../../platform/errors';
import { listBenefitYears, policyTable } from '../policy-port';

export type RemittanceRule = z.infer<typeof remittanceRuleSchema>;

type Stated = { clause: string; withinDays: number; orWhenReachesFen: number; scheme: string } | null;

function stated(year: number): Stated {
  const table = policyTable(year);
  const r = table?.keyDates?.cashRemittance;
  return r ? { ...r, scheme: String(table.scheme) } : null;
}

export function remittanceRule(benefitYear: number): RemittanceRule {
  const own = stated(benefitYear);
  if (own) return { benefitYear, withinDays: own.withinDays, orWhenReachesFen: own.orWhenReachesFen, clause: own.clause, adopted: false };
  const earlier = listBenefitYears().filter((y) => y < benefitYear).sort((a, b) => b - a);
  for (const y of earlier) {
    const r = stated(y);
    if (r) return { benefitYear, withinDays: r.withinDays, orWhenReachesFen: r.orWhenReachesFen, clause: `${r.scheme}年方案${r.clause}（本年度方案未规定，沿用）`, adopted: true };
  }
  throw new AppError('POLICY_MISSING', '未找到现金汇缴规定，请联系市医保中心');
}
