/**
 * Reminders (subscribe messages). weapp: WeChat asks the user for each template
 * (Taro.requestSubscribeMessage), then the accepted ones are recorded by resident.subscribe.
 * H5: only the action.
 */
import Taro from '@tarojs/taro';
import { CloudCallError } from './errors';
import { resident } from './resident';

export type Template = 'payment_result' | 'window_open' | 'window_closing' | 'dispute_result' | 'document_result';

/**
 * Template ids of the mini-program: config/subscribe-messages.json, defined at build time
 * (config/index.ts), the same file the functions send with.
 */
export const TEMPLATE_IDS: Record<Template, string> = SUBSCRIBE_TEMPLATE_IDS;

// WeChat asks for at most 3 templates at once; dispute_result is asked where a claim goes to staff.
const ALL: Template[] = ['payment_result', 'window_open', 'window_closing'];

export async function subscribeReminders(templates: Template[] = ALL): Promise<Template[]> {
  let accepted = templates;
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const res = (await Taro.requestSubscribeMessage({
        tmplIds: templates.map((t) => TEMPLATE_IDS[t]),
        entityIds: [],
      } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
      accepted = templates.filter((t) => res[TEMPLATE_IDS[t]] === 'accept');
    } catch {
      throw new CloudCallError('SUBSCRIBE_FAILED', '没有打开订阅，请稍后再试');
    }
    if (!accepted.length) throw new CloudCallError('SUBSCRIBE_REJECTED', '您没有允许发送提醒，可在右上角“设置”中打开');
  }
  const r = await resident({ action: 'subscribe', templates: accepted });
  return r.templates;
}
