/**
 * Help: the policy of each published year in plain words. No personal data, no consent needed.
 */
import type { PolicyInfo } from '../../contracts/resident';
import { listBenefitYears, policyTable, yearFacts } from '../policy-port';

function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)}元`;
}

export function policyInfo(today: string): PolicyInfo {
  const years: PolicyInfo['years'] = [];
  for (const year of listBenefitYears()) {
    const facts = yearFacts(year, today);
    if (!facts) continue;
    const table = policyTable(year) ?? {};
    const contribution = facts.individualContributionFen;
    const rules = Object.values((table.assistance?.rules ?? {}) as Record<string, { percent: number; label: string }>);
    const assistance = rules.map((r) => {
      const assisted = Math.ceil((contribution * r.percent) / 100);
      const payable = contribution - assisted;
      return {
        category: r.label,
        percent: r.percent,
        payableFen: payable,
        text: r.percent >= 100 ? `${r.label}：个人缴费全部由医疗救助资助，无需缴费` : `${r.label}：资助${r.percent}%，个人只需缴纳${yuan(payable)}`,
      };
    });
    const contacts = ((table.districtContacts ?? []) as Array<{ district: string; medicalInsurancePhone?: string; taxPhone?: string }>).map((c) => ({
      district: c.district,
      phones: [c.medicalInsurancePhone ? `医保：${c.medicalInsurancePhone}` : '', c.taxPhone ? `税务：${c.taxPhone}` : ''].filter(Boolean),
    }));
    years.push({
      benefitYear: year,
      scheme: facts.scheme,
      window: facts.window,
      benefitPeriod: facts.benefitPeriod,
      individualContributionFen: contribution,
      assistance,
      contacts,
      notes: [
        `${year}年度个人缴费${yuan(contribution)}，缴费时间${facts.window.start}至${facts.window.end}。`,
        `缴费后享受${facts.benefitPeriod.start}至${facts.benefitPeriod.end}的医保待遇。`,
        '已参加职工医保或已在外地参加居民医保的，不要重复参保。',
        '缴费成功后，约两个工作日可在医保系统查到。',
      ],
    });
  }
  return { years };
}
