/**
 * The pay port's refund calls on a stubbed wx-server-sdk (WeChat's cloud cannot be reached here):
 * what is sent (snake_case, the env id as a string, the callback function, the same refund number),
 * success only when both layers say SUCCESS (`cloudPay.refund:ok` comes with returnCode FAIL too),
 * queryRefund read from either reply shape the cloud uses (lists, or WeChat Pay's _0 fields), and
 * the invocation's SOURCE from getWXContext.
 */
const mockSent: Array<{ api: string; data: any }> = [];
let mockReply: any = {};
let mockContext: Record<string, unknown> = {};

jest.mock('wx-server-sdk', () => ({
  init: jest.fn(),
  DYNAMIC_CURRENT_ENV: Symbol('current'),
  getWXContext: () => mockContext,
  cloudPay: new Proxy(
    {},
    {
      get: (_t, api: string) => async (data: any) => {
        mockSent.push({ api, data });
        return { ...mockReply, errCode: 0, errMsg: `cloudPay.${api}:ok` };
      },
    },
  ),
}));

// eslint-disable-next-line import/first
import { invocationSource, payPort } from '../../cloudfunctions/src/platform/wx-cloud';

beforeEach(() => {
  mockSent.length = 0;
  mockContext = { ENV: 'prod-1a2b', SOURCE: 'wx_paycallback' };
  process.env.PAY_SUB_MCH_ID = '1900000109';
});

describe('refund', () => {
  const input = { outTradeNo: 'HF20231008abc', outRefundNo: 'RFHF20231008abcP0', totalFee: 76000, refundFee: 38000, functionName: 'payCallback' };

  it('sends the refund with the sub-merchant, the env id as a string and the callback function', async () => {
    mockReply = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundId: '50300000001' };
    await expect(payPort.refund(input)).resolves.toEqual({ refundId: '50300000001' });
    expect(mockSent).toEqual([
      {
        api: 'refund',
        data: expect.objectContaining({ sub_mch_id: '1900000109', out_trade_no: 'HF20231008abc', out_refund_no: 'RFHF20231008abcP0', total_fee: 76000, refund_fee: 38000, envId: 'prod-1a2b', functionName: 'payCallback' }),
      },
    ]);
  });

  it.each([
    ['returnCode FAIL (the SDK still says cloudPay.refund:ok)', { returnCode: 'FAIL', returnMsg: 'SYSTEMERROR' }],
    ['resultCode FAIL', { returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: 'NOTENOUGH' }],
  ])('is a failure on %s', async (_name, r) => {
    mockReply = r;
    await expect(payPort.refund(input)).rejects.toMatchObject({ code: 'PAY_UNAVAILABLE' });
  });
});

describe('queryRefund', () => {
  it('reads the list shape', async () => {
    mockReply = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundStatusList: ['SUCCESS'], refundFeeList: [38000], refundSuccessTimeList: ['2023-10-08 10:05:00'] };
    await expect(payPort.queryRefund('RF1')).resolves.toEqual({ state: 'SUCCESS', refundFee: 38000, successTime: '2023-10-08 10:05:00' });
    expect(mockSent[0]).toEqual({ api: 'queryRefund', data: expect.objectContaining({ out_refund_no: 'RF1', sub_mch_id: '1900000109' }) });
  });

  it("reads WeChat Pay's indexed fields", async () => {
    mockReply = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundStatus_0: 'PROCESSING', refundFee_0: '38000' };
    await expect(payPort.queryRefund('RF1')).resolves.toEqual({ state: 'PROCESSING', refundFee: 38000, successTime: undefined });
  });

  it('a business failure (REFUNDNOTEXIST and the like) is NOTEXIST: submitted again under the same number', async () => {
    mockReply = { returnCode: 'SUCCESS', resultCode: 'FAIL' };
    await expect(payPort.queryRefund('RF1')).resolves.toEqual({ state: 'NOTEXIST' });
  });

  it('no answer, or a state it does not know, is a failure (asked again later)', async () => {
    mockReply = { returnCode: 'FAIL' };
    await expect(payPort.queryRefund('RF1')).rejects.toMatchObject({ code: 'PAY_UNAVAILABLE' });
    mockReply = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundStatusList: [] };
    await expect(payPort.queryRefund('RF1')).rejects.toMatchObject({ code: 'PAY_UNAVAILABLE' });
  });
});

describe('invocationSource', () => {
  it("is getWXContext's SOURCE, or '' without one", () => {
    expect(invocationSource()).toBe('wx_paycallback');
    mockContext = { ENV: 'prod-1a2b', SOURCE: 'wx_client', OPENID: 'o1' };
    expect(invocationSource()).toBe('wx_client');
    mockContext = {};
    expect(invocationSource()).toBe('');
  });
});
