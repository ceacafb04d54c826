/**
 * An order's lifetime ends at its expiresAt, the instant WeChat Pay was given as time_expire:
 * from that millisecond on, an order still holding its people (pending or closing) is expired;
 * an order already paid, closed, expired or refunded never is. The cloud
 * tests cannot reach the exact millisecond (the local clock runs), so the boundary is tested here.
 */
import { takeoverDue } from '../../cloudfunctions/src/domain/orders/orders';
import { closableAtWechat, explanationOf, isExpired, orderView, PAID_IN_CASH, TAKEN_OVER, type OrderDoc } from '../../cloudfunctions/src/domain/orders/order-doc';

const EXPIRES = '2023-10-08T02:30:00.000Z';
const order = (status: OrderDoc['status']) => ({ status, expiresAt: EXPIRES }) as OrderDoc;
const at = (ms: number) => new Date(new Date(EXPIRES).getTime() + ms);

describe('isExpired', () => {
  test.each([
    ['pending', -1, false],
    ['pending', 0, true],
    ['pending', 1, true],
    ['closing', -1, false],
    ['closing', 0, true],
    // Orders no longer holding anyone are not "expired" again, whatever the time.
    ['paid', 60_000, false],
    ['closed', 60_000, false],
    ['expired', 60_000, false],
    ['refunded', 60_000, false],
  ] as const)('a %s order, %i ms from expiresAt: %s', (status, ms, expected) => {
    expect(isExpired(order(status), at(ms))).toBe(expected);
  });
});

/**
 * What the payer reads of an order (orderView) and the 5-minute rule for closing it at WeChat Pay
 * (closableAtWechat): the first whole mutation run of order-doc.ts (issue 16) found both untested
 * to the word and to the millisecond.
 */
describe('orderView, closableAtWechat and takeoverDue', () => {
  const base = {
    _id: 'HF20231008aa',
    outTradeNo: 'HF20231008aa',
    openid: 'o1',
    personIds: ['p1'],
    totalFeeFen: 38000,
    createdAt: '2023-10-08T02:00:00.000Z',
    expiresAt: EXPIRES,
    paidAt: null,
    transactionId: null,
    items: [{ personId: 'p1', benefitYear: 2024, amountFen: 38000, name: '王芳', idMasked: '340***********0011', explanation: ['城乡居民个人缴费标准380元'] }],
  } as OrderDoc;

  test.each([
    ['pending', undefined, '待支付'],
    ['closing', undefined, '正在关闭订单'],
    ['paid', undefined, '已支付'],
    ['closed', undefined, '已取消'],
    ['closed', 'closed by the payer', '已取消'],
    ['closed', TAKEN_OVER, '家人已重新发起缴费，本订单已关闭'],
    ['closed', PAID_IN_CASH, '已在社区窗口现金缴费，本订单已关闭'],
    ['expired', undefined, '已超时关闭'],
    // The closedReason words only change a closed order's text.
    ['expired', TAKEN_OVER, '已超时关闭'],
    ['expired', PAID_IN_CASH, '已超时关闭'],
    ['refunded', undefined, '支付金额与订单不符，已原路退款'],
  ] as const)('a %s order (closedReason %s) reads %s', (status, closedReason, text) => {
    const view = orderView({ ...base, status, ...(closedReason ? { closedReason } : {}) });
    expect(view).toEqual({
      outTradeNo: base.outTradeNo,
      status,
      statusText: text,
      totalFeeFen: 38000,
      items: [{ personId: 'p1', name: '王芳', idMasked: '340***********0011', benefitYear: 2024, amountFen: 38000, explanation: ['城乡居民个人缴费标准380元'] }],
      createdAt: base.createdAt,
      expiresAt: EXPIRES,
      paidAt: null,
      transactionId: null,
    });
  });

  test('an order stored before explanations were encrypted shows its plain lines; one with neither shows none', () => {
    expect(explanationOf(base.items[0])).toEqual(['城乡居民个人缴费标准380元']);
    expect(explanationOf({ ...base.items[0], explanation: undefined })).toEqual([]);
  });

  test('WeChat Pay accepts a close from the order’s fifth minute on, to the millisecond', () => {
    const created = new Date(base.createdAt).getTime();
    expect(closableAtWechat(base, new Date(created + 5 * 60_000 - 1))).toBe(false);
    expect(closableAtWechat(base, new Date(created + 5 * 60_000))).toBe(true);
    expect(closableAtWechat(base, new Date(created + 6 * 60_000))).toBe(true);
  });

  test('another authorized actor may take a pending order over from the same fifth minute on, to the millisecond', () => {
    const created = new Date(base.createdAt).getTime();
    expect(takeoverDue(base, new Date(created + 5 * 60_000 - 1))).toBe(false);
    expect(takeoverDue(base, new Date(created + 5 * 60_000))).toBe(true);
    expect(takeoverDue(base, new Date(created + 20 * 60_000))).toBe(true);
  });
});
