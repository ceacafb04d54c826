/**
 * Subscribe messages. The weapp client asks the user with wx.requestSubscribeMessage; the
 * templates the user accepted are recorded here per openid. A one-time subscription is used up
 * by one message, as in WeChat.
 */
import { C, Deps, Acting } from '../context';
import { requireConsent, UserDoc } from '../consent/consent';
import type { OrderDoc } from '../orders/order-doc';

export type Template = 'payment_result' | 'window_open' | 'window_closing';

/** Template ids are configured per environment; the names stand in for them locally. */
export function templateId(t: Template): string {
  const env = { payment_result: 'TEMPLATE_PAYMENT_RESULT', window_open: 'TEMPLATE_WINDOW_OPEN', window_closing: 'TEMPLATE_WINDOW_CLOSING' }[t];
  return process.env[env] || t;
}

export async function subscribe(deps: Acting, templates: Template[]) {
  const user = await requireConsent(deps);
  const set = [...new Set([...(user.subscriptions ?? []), ...templates])] as Template[];
  await deps.db.update(C.users, deps.caller.openid, { subscriptions: deps.db.cmd.set(set) });
  return { templates: set };
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2) + '元';
}

/** Best effort: a failed message never undoes or blocks a settlement. */
export async function sendPaymentResult(deps: Deps, order: OrderDoc): Promise<void> {
  try {
    const user = await deps.db.get<UserDoc>(C.users, order.openid);
    if (!user?.subscriptions?.includes('payment_result')) return;
    const names = order.items.map((i) => i.name).join('、');
    await deps.messages.sendSubscribe({
      touser: order.openid,
      templateId: templateId('payment_result'),
      page: `pages/records/index?outTradeNo=${order.outTradeNo}`,
      data: {
        thing1: { value: `${names} ${order.items[0]?.benefitYear ?? ''}年度居民医保`.slice(0, 20) },
        amount2: { value: yuan(order.totalFeeFen) },
        phrase3: { value: '缴费成功' },
        thing4: { value: '约两个工作日后可在医保系统查到' },
      },
    });
    await deps.db.update(C.users, order.openid, { subscriptions: deps.db.cmd.set(user.subscriptions.filter((t) => t !== 'payment_result')) });
  } catch (err) {
    console.warn('[payment_result] message not sent', (err as Error)?.name);
  }
}
