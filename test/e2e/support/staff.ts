/** Steps of staff specs: password sign-in from home, into the staff entry. */
import type { Page } from 'playwright-core';
import { button, settle, signIn, type } from './resident';

export const STAFF_PASSWORD = 'Local@2023';

/** On the signed-out home: signs in a staff account with its password and opens 工作人员入口. */
export async function signInStaff(page: Page, account: string, password = STAFF_PASSWORD): Promise<void> {
  await page.getByText('我是工作人员，使用密码登录').click();
  await type(page, 'password', password);
  await signIn(page, account);
  await button(page, '进入工作人员入口').click();
  await settle(page);
}
