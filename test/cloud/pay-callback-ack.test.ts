/**
 * payCallback's acknowledgement when deliveries of one notification meet (issue 14's money
 * faults: one of 113 deliveries was answered errcode 1 while the others settled the order).
 * Settlement is idempotent: a write conflict is settled again; a failure once the order is paid
 * here (the payment recorded, the sweeper's mark set) is acknowledged (errcode 0); a failure
 * before anything is recorded is errcode 1, so WeChat Pay delivers again.
 */
const state = { status: 'pending', settleFailures: [] as unknown[], settleCalls: 0, refundFailures: [] as unknown[] };

jest.mock('../../cloudfunctions/src/platform/wx-cloud', () => ({ invocationSource: () => 'wx_paycallback', wxContextOpenid: () => '' }));
jest.mock('../../cloudfunctions/src/domain/platform-deps', () => ({
  platformDeps: () => ({ pay: { queryOrder: async () => ({ tradeState: 'SUCCESS', transactionId: '4200000000202310080000000001', totalFee: 38000 }) } }),
}));
jest.mock('../../cloudfunctions/src/domain/orders/order-doc', () => ({ getOrder: async () => ({ outTradeNo: 'HF20231008000001', status: state.status }) }));
jest.mock('../../cloudfunctions/src/domain/orders/orders', () => ({
  settleConfirmed: async () => {
    state.settleCalls++;
    const f = state.settleFailures.shift();
    if (f) throw f;
    state.status = 'paid';
    return 'settled';
  },
}));
jest.mock('../../cloudfunctions/src/domain/orders/refunds', () => ({
  confirmRefund: async () => {
    const f = state.refundFailures.shift();
    if (f) throw f;
    return 'succeeded';
  },
}));
jest.mock('../../cloudfunctions/src/domain/orders/settlement', () => ({ unknownOrderAlert: async () => undefined }));

import { main, SETTLE_ATTEMPTS } from '../../cloudfunctions/src/functions/payCallback/index';

const event = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'HF20231008000001', transactionId: '4200000000202310080000000001', totalFee: 38000 };
const conflict = () => new Error('[ResourceUnavailable.TransactionConflict] Transaction is conflicting with another operation (WriteConflict). Please retry.');

beforeEach(() => {
  Object.assign(state, { status: 'pending', settleFailures: [], settleCalls: 0, refundFailures: [] });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

test('a write conflict with another delivery is settled again and acknowledged', async () => {
  state.settleFailures = [conflict(), conflict()];
  await expect(main(event)).resolves.toEqual({ errcode: 0, errmsg: 'OK' });
  expect(state.settleCalls).toBe(3);
});

test('a failure once the payment is recorded here is acknowledged (the sweeper finishes it)', async () => {
  state.status = 'paid';
  state.settleFailures = [new Error('socket hang up')];
  await expect(main(event)).resolves.toEqual({ errcode: 0, errmsg: 'recorded' });
});

test('a failure before anything is recorded asks WeChat Pay to deliver again', async () => {
  state.settleFailures = [new Error('socket hang up')];
  await expect(main(event)).resolves.toEqual({ errcode: 1, errmsg: 'retry later' });
  state.settleFailures = Array.from({ length: SETTLE_ATTEMPTS }, conflict);
  await expect(main(event)).resolves.toEqual({ errcode: 1, errmsg: 'retry later' });
  expect(state.settleCalls).toBe(1 + SETTLE_ATTEMPTS);
});

test('a refund notification that meets the sweeper writing the same refund is confirmed again', async () => {
  const refund = { returnCode: 'SUCCESS', reqInfo: { outRefundNo: 'HF20231008000001R0', outTradeNo: 'HF20231008000001', refundStatus: 'SUCCESS' } };
  state.refundFailures = [conflict()];
  await expect(main(refund)).resolves.toEqual({ errcode: 0, errmsg: 'refund succeeded' });
  state.refundFailures = Array.from({ length: SETTLE_ATTEMPTS }, conflict);
  await expect(main(refund)).resolves.toEqual({ errcode: 1, errmsg: 'retry later' });
});
