/**
 * Subscribe messages. The weapp client asks the user with wx.requestSubscribeMessage; the
 * templates the user accepted are recorded here per openid. A one-time subscription is used up
 * by one message, as in WeChat.
 */
import { C, Deps, Acting } from '../context';
import { requireConsent, UserDoc } from '../consent/consent';
import type { OrderDoc } from '../orders/order-doc';
import { subscribeMessage, Template } from './templates';

export type { Template } from './templates';
export { templateId } from './templates';

export async function subscribe(deps: Acting, templates: Template[]) {
  const user = await requireConsent(deps);
  const set = [...new Set([...(user.subscriptions ?? []), ...templates])] as Template[];
  await deps.db.update(C.users, deps.caller.openid, { subscriptions: deps.db.cmd.set(set) });
  return { templates: set };
}

/** Best effort: a failed message never undoes or blocks a settlement. */
export async function sendPaymentResult(deps: Deps, order: OrderDoc): Promise<void> {
  try {
    const user = await deps.db.get<UserDoc>(C.users, order.openid);
    if (!user?.subscriptions?.includes('payment_result')) return;
    const names = order.items.map((i) => i.name).join('、');
    await deps.messages.sendSubscribe(
      subscribeMessage('payment_result', order.openid, `pages/records/index?outTradeNo=${order.outTradeNo}`, {
        item: `${names} ${order.items[0]?.benefitYear ?? ''}年度居民医保`,
        amount: { fen: order.totalFeeFen },
        paidAt: { at: new Date(order.paidAt ?? deps.clock.now().toISOString()) },
        note: '约两个工作日后可在医保系统查到',
      }),
    );
    await deps.db.update(C.users, order.openid, { subscriptions: deps.db.cmd.set(user.subscriptions.filter((t) => t !== 'payment_result')) });
  } catch (err) {
    console.warn('[payment_result] message not sent', (err as Error)?.name);
  }
}
