/**
 * The H5 build served by the local cloud: a resident signs in with the local sign-in,
 * and a staff account is asked for its password. Keeps screenshots.
 */
import { browserScenario, phonePage, screenshot } from '../support/browser';

const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 0 });

test('a resident signs in on the H5 app and reaches the home page', async () => {
  const { cloud, browser } = world;
  const page = await phonePage(browser);
  await page.goto(`${cloud.url}/`);
  await page.getByTestId('login-form').waitFor();
  await screenshot(page, 'smoke', '01-sign-in');
  await page.locator('input[name=account]').fill('smoke_resident');
  await page.locator('taro-button-core', { hasText: '登录' }).first().click();
  await page.getByTestId('signed-in').waitFor({ timeout: 20000 });
  await screenshot(page, 'smoke', '02-home');
  expect(await page.getByTestId('signed-in').innerText()).toContain('smoke_resident');
  await page.close();
});

test('a staff account is asked for its password', async () => {
  const { cloud, browser } = world;
  const page = await phonePage(browser);
  await page.goto(`${cloud.url}/`);
  await page.locator('input[name=account]').fill('sq_worker');
  await page.locator('taro-button-core', { hasText: '登录' }).first().click();
  await page.getByText('这是工作人员账号，请输入密码').waitFor({ timeout: 20000 });
  await screenshot(page, 'smoke', '03-staff-password');
  await page.close();
});
