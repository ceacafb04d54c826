/**
 * The shipped mini-program, run in the WeChat logic-layer stand-in against the local cloud's real
 * functions: a local-hukou adult (clock 2023-10-08 10:00 CST, the 2024 window open) consents,
 * registers, uploads both sides of the ID card, sees the quote, pays 380.00 with WeChat Pay and
 * sees the record. No code generation from strings may be attempted on the way.
 */
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { JPEG, makeId, startCloud } from '../cloud/helpers';
import { Weapp } from './harness';

jest.setTimeout(120_000);

let cloud: LocalCloud;
let app: Weapp | undefined;

beforeAll(async () => {
  cloud = await startCloud('2023-10-08T10:00+08:00');
});

afterAll(async () => {
  app?.close();
  await cloud?.close();
});

afterEach(() => {
  // Whatever happened, code generation from strings would have broken the app on a phone.
  if (app) expect(app.rt.codegenAttempts).toEqual([]);
});

test('a local adult enrolls and pays 380.00 in the weapp build', async () => {
  const w = await Weapp.open(cloud, 'wx_resident_1');
  app = w;
  w.launch('pages/index/index');

  // Home: the WeChat identity is implicit; the privacy notice comes first.
  let page = await w.waitForText('开始办理前', 'pages/index/index');
  expect(page.hasText('已使用微信身份')).toBe(true);
  await w.tap('阅读并同意');

  page = await w.waitForText('同意并继续', 'pages/consent/index');
  await w.tap('同意并继续');
  expect(w.page.text).toContain('请先勾选');
  await w.tap('我已阅读并同意《隐私保护说明》');
  await w.tap('同意并继续');

  // Back home: verification (实名核验) before acting for anyone.
  page = await w.waitForText('开始实名核验', 'pages/index/index');
  await w.tap('开始实名核验');

  // 实名核验: the ID card's facts, then WeChat's face verification redeemed by verifySelf.
  page = await w.waitForText('开始人脸核验', 'pages/verify/index');
  const idNumber = makeId('340104', '1985-06-15', 123);
  await w.type('与证件上的姓名一致', '张建国');
  await w.type('请输入18位身份证号码', idNumber);
  await w.tap('男');
  await w.tap('合肥市户籍');
  await w.type('例如：合肥市蜀山区长江西路100号', '合肥市蜀山区长江西路100号');
  await w.type('11位手机号码', '13800001234');
  for (const q of ['是否已参加职工医保？', '是否已在其他城市参加本年度居民医保？']) await w.tap(/^否$/, w.page.section('hf-question', q));
  await w.tap('开始人脸核验');
  await w.waitFor('leaving the verify page', () => w.route !== 'pages/verify/index');
  const face = w.wx.calls.find((c) => c.api === 'startFacialRecognitionVerify')!.args as Record<string, unknown>;
  expect(face).toMatchObject({ name: '张建国', idCardNumber: idNumber });

  // Documents: both sides of the ID card, picked from the album, uploaded to cloud storage.
  page = await w.waitForText('上传证件', 'pages/documents/index');
  page = await w.waitForText('拍照或从相册选择', 'pages/documents/index');
  w.wx.controls.media.push({ bytes: JPEG, ext: 'jpg' });
  await w.tap(w.page.byClass('hf-upload')[0]);
  page = await w.waitFor('front uploaded', () => (w.page.textOf(w.page.byClass('hf-upload')[0]).includes('已上传') ? w.page : null));
  w.wx.controls.media.push({ bytes: JPEG, ext: 'jpg' });
  await w.tap(w.page.byClass('hf-upload')[1]);
  page = await w.waitFor('back uploaded', () => (w.page.textOf(w.page.byClass('hf-upload')[1]).includes('已上传') ? w.page : null));
  await w.tap('下一步');

  // Quote: the engine's amount for 2024.
  page = await w.waitForText('确认无误，去支付', 'pages/quote/index');
  expect(page.text).toContain('380.00');
  await w.tap('确认无误，去支付');

  // Pay: WeChat Pay with the order's parameters, the result learned by querying.
  page = await w.waitForText('确认支付 ¥380.00', 'pages/pay/index');
  await w.tap('确认支付 ¥380.00');
  page = await w.waitForText('缴费成功', 'pages/pay/index');
  expect(page.text).toContain('¥380.00');
  const pay = w.wx.calls.find((c) => c.api === 'requestPayment')!.args as Record<string, string>;
  expect(pay.package).toMatch(/^prepay_id=/);

  // Records: back home, then 缴费记录.
  await w.tap('返回首页');
  page = await w.waitForText('缴费记录', 'pages/index/index');
  page = await w.waitForText('张建国', 'pages/index/index');
  await w.tap('缴费记录');
  page = await w.waitForText('合计', 'pages/records/index');
  expect(page.text).toContain('张建国');
  expect(page.text).toContain('¥380.00');
  expect(page.text).toContain('2024年度');

  expect(w.rt.errors).toEqual([]);
});
