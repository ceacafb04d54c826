/**
 * The receipt's wording and grouping. Who is paid, and where the official tax receipt comes from: one wording for the pay sheet and
 * the receipt. Resident premiums are collected by the tax authority (2023 scheme: 税务部门负责城乡
 * 居民基本医疗保险保费征缴), and "参保缴费成功后可查询、打印税务缴费单据" through the channels it
 * lists, among them the "安徽税务社保缴费" WeChat mini-program.
 */
import type { PaymentRecord } from '@contracts/resident';

export const PAYEE = '国家税务总局合肥市税务局';

export const TAX_RECEIPT_NOTE =
  '本凭证是缴费记录，不是完税证明。正式的完税证明（税务缴费单据）可在“安徽税务社保缴费”微信小程序查询、打印，也可到办税服务厅打印。';

type Item = PaymentRecord['items'][number];

/** One group per person, in the order they first appear: a family receipt reads person by person. */
export function byPerson(items: Item[]): Array<{ personId: string; name: string; idMasked: string | null; items: Item[] }> {
  const groups = new Map<string, { personId: string; name: string; idMasked: string | null; items: Item[] }>();
  for (const i of items) {
    const g = groups.get(i.personId) ?? { personId: i.personId, name: i.name, idMasked: i.idMasked, items: [] };
    g.items.push(i);
    groups.set(i.personId, g);
  }
  return [...groups.values()];
}
