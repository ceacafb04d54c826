import { z } from 'zod';

jest.mock('../../cloudfunctions/src/platform/wx-cloud', () => ({
  callerFromPlatform: () => ({ openid: process.env.TEST_OPENID ?? '' }),
  platformClock: { now: () => new Date('2023-10-08T02:00:00Z') },
}));

import { defineFunction } from '../../cloudfunctions/src/platform/handler';
import { AppError } from '../../cloudfunctions/src/platform/errors';

const lookup = defineFunction(
  'lookup',
  z.strictObject({ action: z.literal('find'), name: z.string().max(20) }),
  async (event, ctx) => ({ name: event.name, caller: ctx.caller.openid, today: ctx.clock.now().toISOString() }),
);

describe('defineFunction', () => {
  beforeEach(() => {
    process.env.TEST_OPENID = 'o-platform';
  });

  it('takes the caller from the platform, never from the event', async () => {
    const reply = await lookup({ action: 'find', name: '张三', userInfo: { openId: 'o-forged', appId: 'x' } });
    expect(reply).toEqual({ ok: true, data: { name: '张三', caller: 'o-platform', today: '2023-10-08T02:00:00.000Z' } });
  });

  it('rejects unknown keys, including a forged openid', async () => {
    const reply = await lookup({ action: 'find', name: '张三', openid: 'o-forged' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('never lets a query operator object through as a value', async () => {
    const reply = await lookup({ action: 'find', name: { $gt: '' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'name' } });
  });

  it('maps AppError to its code and Chinese message, and hides internal errors', async () => {
    const failing = defineFunction('failing', z.strictObject({ kind: z.enum(['app', 'bug']) }), async (event) => {
      if (event.kind === 'app') throw new AppError('WINDOW_CLOSED', '本年度集中缴费期已结束', 'benefitYear');
      throw new Error('secret 34010419900307251X leaked in message');
    });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await failing({ kind: 'app' })).toEqual({
      ok: false,
      error: { code: 'WINDOW_CLOSED', message: '本年度集中缴费期已结束', field: 'benefitYear' },
    });
    const internal = await failing({ kind: 'bug' });
    expect(internal).toEqual({ ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } });
    expect(JSON.stringify(spy.mock.calls)).not.toContain('34010419900307251X');
    spy.mockRestore();
  });
});
