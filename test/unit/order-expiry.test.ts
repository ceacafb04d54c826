/**
 * An order's lifetime ends at its expiresAt, the instant WeChat Pay was given as time_expire:
 * from that millisecond on, an order still holding its people (pending or closing) is expired;
 * an order already paid, closed, expired or refunded never is. The cloud
 * tests cannot reach the exact millisecond (the local clock runs), so the boundary is tested here.
 */
import { isExpired, type OrderDoc } from '../../cloudfunctions/src/domain/orders/order-doc';

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
