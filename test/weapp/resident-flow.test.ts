/**
 * The shipped mini-program, run in the WeChat logic-layer stand-in (test/weapp/harness) against
 * the local cloud's real functions, clock at 2023-10-08 10:00 CST (the 2024 window open).
 * No code generation from strings may be attempted on the way (checked after every test).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import { devGet, JPEG, makeId, signIn } from '../cloud/helpers';
import { Weapp } from './harness';
import { startWeappCloud } from './harness/cloud';
import { acceptConsentFromHome, fillVerifyForm, uploadIdCard, verifiedToQuote } from './flows';

jest.setTimeout(120_000);
// The phone is in China: the app's local time is UTC+8 whatever the machine running the tests
// (restored after the file: jest reuses this worker for other suites).
const machineTz = process.env.TZ;
process.env.TZ = 'Asia/Shanghai';

let cloud: LocalCloud;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const open: Weapp[] = [];

async function phone(account: string): Promise<Weapp> {
  const w = await Weapp.open(cloud, account);
  open.push(w);
  return w.launch('pages/index/index');
}

beforeAll(async () => {
  cloud = await startWeappCloud('2023-10-08T10:00+08:00');
});

afterEach(() => {
  for (const w of open.splice(0)) {
    w.close();
    // Code generation from strings would have broken the app on a phone; nor may anything throw.
    expect(w.rt.codegenAttempts).toEqual([]);
    expect(w.rt.errors).toEqual([]);
    // Review-ready: weapp has no sign-in, and nothing is "coming soon".
    expect(w.screens.filter((s) => /登录|即将开放/.test(s))).toEqual([]);
    // Every element rendered is one WeChat can show.
    expect([...w.unrenderable]).toEqual([]);
    // setData stays under WeChat's 256 KB warning (1 MB is refused).
    expect(w.rt.largestSetData).toBeLessThan(256 * 1024);
  }
});

afterAll(async () => {
  await cloud?.close();
  if (machineTz === undefined) delete process.env.TZ;
  else process.env.TZ = machineTz;
});

test('a face-verified local adult subscribes to reminders, cancels WeChat Pay once, pays 380.00, gets the payment message, sees the record and the receipt', async () => {
  const w = await phone('wx_resident_1');
  expect(w.page.text).toBe(''); // nothing rendered before the first answer
  await acceptConsentFromHome(w);
  expect(w.page.text).toContain('已使用微信身份');

  // Reminders: WeChat asks for the configured templates, the accepted ones are recorded.
  await w.tap(/^订阅$/);
  await w.waitForText('已订阅', 'pages/index/index');
  const templates = JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'subscribe-messages.json'), 'utf8')).templates as Record<string, { id: string; fields: Record<string, string> }>;
  expect(w.wx.calls.find((c) => c.api === 'requestSubscribeMessage')?.args).toMatchObject({
    tmplIds: ['payment_result', 'window_open', 'window_closing'].map((t) => templates[t].id),
  });

  // 实名核验: the ID card's facts, then WeChat's face verification, redeemed by verifySelf.
  await w.tap('开始实名核验');
  const idNumber = makeId('340104', '1985-06-15', 123);
  await fillVerifyForm(w, { name: '张建国', idNumber, sex: '男' });
  await w.tap('开始人脸核验');
  expect(w.wx.calls.find((c) => c.api === 'startFacialRecognitionVerify')?.args).toMatchObject({ name: '张建国', idCardNumber: idNumber });

  // 核对: verified by face, no document to upload; the engine's amount for 2024.
  let page = await w.waitForText('确认无误，去支付', 'pages/quote/index');
  expect(w.wx.calls.some((c) => c.api === 'cloud.uploadFile')).toBe(false);
  expect(page.text).toContain('张建国');
  expect(page.text).toContain('380.00');
  await w.tap('确认无误，去支付');

  // 支付: the person closes WeChat Pay's sheet first — nothing paid, the order stays open.
  page = await w.waitForText('确认支付 ¥380.00', 'pages/pay/index');
  w.wx.controls.pay = 'cancel';
  await w.tap('确认支付 ¥380.00');
  expect(w.wx.calls.filter((c) => c.api === 'requestPayment').map((c) => c.failed)).toEqual(['requestPayment:fail cancel']);
  expect(w.page.text).toContain('确认支付 ¥380.00');
  expect(w.page.text).not.toContain('缴费成功');

  // Then pays: the result is learned from queryOrder, not from the sheet.
  w.wx.controls.pay = 'confirm';
  await w.tap('确认支付 ¥380.00');
  page = await w.waitForText('缴费成功', 'pages/pay/index');
  expect(page.readable(page.section('hf-result', '缴费成功'))).toContain('¥380.00');
  const pay = w.wx.calls.filter((c) => c.api === 'requestPayment')[1].args as Record<string, string>;
  expect(pay.package).toMatch(/^prepay_id=wx/);
  expect(pay.signType).toBeTruthy();

  // 缴费记录: from home.
  await w.tap('返回首页');
  await w.waitForText('张建国', 'pages/index/index');
  await w.tap('缴费记录');
  page = await w.waitForText('合计', 'pages/records/index');
  const record = page.section('hf-card', '交易单号');
  expect(page.readable(record)).toContain('张建国');
  expect(page.readable(record)).toContain('¥380.00');
  expect(page.readable(record)).toContain('2024年度');

  // 缴费凭证 from the record.
  await w.tap('查看缴费凭证 ›', record);
  page = await w.waitForText('个人缴费凭证', 'pages/receipt/index');
  expect(page.text).toMatch(/张建国 .*2024年度 ¥380\.00 合计金额 ¥380\.00/);
  expect(page.text).not.toContain(idNumber); // masked only

  // The cloud agrees: one paid order of 38000 fen, by this WeChat user.
  const orders = cloud.store.find('$orders', { payerOpenid: w.user.openid }) as unknown as { tradeState: string; totalFee: number }[];
  expect(orders.map((o) => [o.tradeState, o.totalFee])).toEqual([['SUCCESS', 38000]]);
  // And the payment-result message went to this WeChat user, with the template's keys.
  const outbox = (await devGet(cloud.url, `/api/outbox?touser=${encodeURIComponent(w.user.openid)}`)) as { items: { templateId: string; data: Record<string, { value: string }> }[] };
  const sent = outbox.items.filter((m) => m.templateId === templates.payment_result.id);
  expect(sent).toHaveLength(1);
  expect(Object.keys(sent[0].data).sort()).toEqual(Object.values(templates.payment_result.fields).sort());
});

test('face verification refused (no phone support, then a face that does not match): the resident stays unverified, takes the document path, uploads the ID card and pays 380.00', async () => {
  const w = await phone('wx_resident_2');
  await acceptConsentFromHome(w);
  await w.tap('开始实名核验');
  const idNumber = makeId('340104', '1990-02-20', 456);
  await fillVerifyForm(w, { name: '李秀英', idNumber, sex: '女' });

  // A phone without face verification: the document path is offered instead.
  w.wx.controls.faceSupported = false;
  await w.tap('开始人脸核验');
  expect(w.page.text).toContain('您的手机暂不支持刷脸核验');
  expect(w.wx.calls.some((c) => c.api === 'startFacialRecognitionVerify')).toBe(false);

  // WeChat's comparison fails (fail with a ticket): the server decides, and refuses.
  w.wx.controls.faceSupported = true;
  w.wx.controls.facePass = false;
  await w.tap('开始人脸核验');
  await w.waitForText('身份核验未通过', 'pages/verify/index');
  expect(w.wx.calls.find((c) => c.api === 'startFacialRecognitionVerify')?.failed).toContain('比对人脸信息不匹配');

  const status = await (await signIn(cloud.url, 'wx_resident_2')).data('resident', { action: 'identityStatus' });
  expect(status.verified).toBe(false);

  // The document path: registered as 本人 without face verification; both sides of the ID card
  // go to cloud storage for staff review, and she can pay meanwhile.
  await w.tap('上传证件，由工作人员审核');
  await uploadIdCard(w);
  const uploads = w.wx.calls.filter((c) => c.api === 'cloud.uploadFile');
  expect(uploads).toHaveLength(2);
  expect(uploads.every((c) => !c.failed && /^documents\//.test(String((c.args as { cloudPath?: string }).cloudPath)))).toBe(true);
  await w.waitForText('确认无误，去支付', 'pages/quote/index');
  expect(w.page.text).toContain('李秀英');
  await w.tap('确认无误，去支付');
  await w.waitForText('确认支付 ¥380.00', 'pages/pay/index');
  await w.tap('确认支付 ¥380.00');
  await w.waitForText('缴费成功', 'pages/pay/index');
});

test('family-add: a verified mother adds her 7-year-old (guardian consent, 户口簿 page as evidence after a refused album permission) and pays 760.00 for both', async () => {
  const w = await phone('wx_resident_3');
  await verifiedToQuote(w, { name: '王丽', idNumber: makeId('340104', '1987-04-09', 222), sex: '女' });
  await w.tap('再添加一位家人，一起缴费');

  await w.waitForText('与您的关系', 'pages/family-add/index');
  await w.tap('子女');
  await w.type('与证件上的姓名一致', '王小明');
  await w.type('请输入18位身份证号码', makeId('340104', '2016-05-01', 333));
  await w.tap('合肥市户籍');
  await w.type('例如：合肥市蜀山区长江西路100号', '合肥市蜀山区长江西路100号');
  await w.type('11位手机号码', '13800001234');
  for (const q of ['是否已参加职工医保？', '是否已在其他城市参加本年度居民医保？']) await w.tap(/^否$/, w.page.section('hf-question', q));
  await w.tap(/^母亲$/);
  // Under 14: refused until the guardian consents.
  await w.tap('下一步');
  expect(w.page.text).toContain('请按提示修改标红的内容');
  await w.tap('我是孩子的监护人，同意为孩子登记上述信息');
  await w.tap('下一步');

  // Evidence that she is the child's parent: the 户口簿 page.
  await w.waitForText('上传证明材料', 'pages/documents/index');
  await w.waitForText('户口簿本人页', 'pages/documents/index');
  // The album permission was refused earlier: advice and 去设置, not silence.
  w.wx.controls.mediaFailure = { errMsg: 'chooseMedia:fail auth deny' };
  await w.tap(w.page.byClass('hf-upload')[0]);
  await w.waitForText('没有相机或相册权限', 'pages/documents/index');
  await w.tap(/^去设置$/);
  expect(w.wx.calls.some((c) => c.api === 'openSetting')).toBe(true);
  w.wx.controls.media.push({ bytes: JPEG, ext: 'jpg' });
  await w.tap(w.page.byClass('hf-upload')[0]);
  await w.waitFor('户口簿 page uploaded', () => w.page.readable(w.page.byClass('hf-upload')[0]).includes('已上传'));
  await w.tap('下一步');

  // 核对: both, each with the engine's amount; one order for the two.
  let page = await w.waitForText('王小明', 'pages/quote/index');
  expect(page.text).toMatch(/王丽 .*应缴金额 ¥380\.00.* 王小明 .*应缴金额 ¥380\.00/);
  expect(page.text).toContain('将为以上 2 人一起下单');
  await w.tap('确认无误，去支付');
  page = await w.waitForText('确认支付 ¥760.00', 'pages/pay/index');
  await w.tap('确认支付 ¥760.00');
  page = await w.waitForText('缴费成功', 'pages/pay/index');
  expect(page.readable(page.section('hf-result', '缴费成功'))).toContain('¥760.00');
});

test('two phones: she adds her husband, sends the invitation card; he verifies by face on his phone and agrees; she pays 760.00 for both', async () => {
  const wife = await phone('wx_wife_4');
  await verifiedToQuote(wife, { name: '刘芳', idNumber: makeId('340103', '1988-03-15', 242), sex: '女' });
  await wife.tap('再添加一位家人，一起缴费');
  await wife.waitForText('与您的关系', 'pages/family-add/index');
  await wife.tap('配偶');
  const husbandFacts = { name: '陈刚', idNumber: makeId('340103', '1986-11-02', 151), sex: '男' } as const;
  await wife.type('与证件上的姓名一致', husbandFacts.name);
  await wife.type('请输入18位身份证号码', husbandFacts.idNumber);
  await wife.tap('合肥市户籍');
  await wife.type('例如：合肥市蜀山区长江西路100号', '合肥市蜀山区长江西路100号');
  await wife.type('11位手机号码', '13900001111');
  for (const q of ['是否已参加职工医保？', '是否已在其他城市参加本年度居民医保？']) await wife.tap(/^否$/, wife.page.section('hf-question', q));
  await wife.tap('下一步');

  // An adult decides himself: the invitation goes out as a share card.
  await wife.waitForText('邀请家人授权', 'pages/person/index');
  await wife.tap('邀请家人授权');
  await wife.waitForText('发送给陈刚', 'pages/person/index');
  const card = await wife.share('发送给陈刚');
  expect(card.path).toMatch(/^\/pages\/invite\/index\?code=[A-Za-z0-9_-]{10,}$/);

  // His phone opens the card: he verifies himself first (consent, then face), then agrees.
  const husband = await Weapp.open(cloud, 'wx_husband_4');
  open.push(husband);
  husband.launch(card.path!);
  // A first-time user reads the privacy notice before anything else.
  await husband.waitForText('同意并继续', 'pages/consent/index');
  await husband.tap('我已阅读并同意《隐私保护说明》');
  await husband.tap('同意并继续');
  // Names masked: the inviter 刘*, the person 陈*.
  const invitation = await husband.waitForText('刘*（您的配偶）想为您办理医保', 'pages/invite/index');
  expect(invitation.text).not.toContain('刘芳');
  await husband.tap('去实名核验');
  await fillVerifyForm(husband, husbandFacts);
  await husband.tap('开始人脸核验');
  await husband.waitForText('您已核验为 陈刚（340***********1513）', 'pages/invite/index');
  await husband.tap(/^同意授权$/);
  await husband.waitForText('已同意授权', 'pages/invite/index');

  // Back on her phone: home shows him; she uploads his ID card and pays for both together.
  await wife.back(wife.rt.stack.length - 1);
  // He verified himself by face: no document to upload for him either.
  await wife.waitForText('为 2 人一起缴费', 'pages/index/index');
  await wife.tap('为 2 人一起缴费');
  await wife.waitForText('将为以上 2 人一起下单', 'pages/quote/index');
  await wife.tap('确认无误，去支付');
  await wife.waitForText('确认支付 ¥760.00', 'pages/pay/index');
  await wife.tap('确认支付 ¥760.00');
  const paid = await wife.waitForText('缴费成功', 'pages/pay/index');
  expect(paid.readable(paid.section('hf-result', '缴费成功'))).toContain('¥760.00');
});

test('cloud failures on the phone are told apart: function not deployed, no network, timed out', async () => {
  // An environment where the resident function was never uploaded.
  const bare = await startWeappCloud('2023-10-08T10:00+08:00', { without: ['resident'] });
  try {
    const w = await Weapp.open(bare, 'wx_resident_5');
    open.push(w);
    w.launch('pages/index/index');
    await w.waitForText('服务暂未开通或正在维护，请稍后再试', 'pages/index/index');
    expect(w.wx.calls.find((c) => c.failed)?.failed).toContain('-501000');
  } finally {
    await bare.close();
  }

  const w = await Weapp.open(cloud, 'wx_resident_5');
  open.push(w);
  w.wx.controls.offline = true;
  w.launch('pages/index/index');
  await w.waitForText('网络不太稳定，请稍后重试', 'pages/index/index');
  // A function over its time limit (what WeChat's cloud answers then).
  w.wx.controls.offline = false;
  w.wx.controls.functionFailure = (name) =>
    name === 'resident' ? { errCode: -504003, errMsg: 'cloud.callFunction:fail Error: errCode: -504003 | errMsg: Invoking task timed out after 3 seconds' } : null;
  await w.tap('重新加载');
  await w.waitForText('服务响应超时', 'pages/index/index');
  // Then all is well: 重新加载 works.
  w.wx.controls.functionFailure = null;
  await w.tap('重新加载');
  await w.waitForText('开始办理前', 'pages/index/index');
});

test('staff subpackage on the phone: a resident is turned away; 蜀山区 staff open the PDF and approve both sides of the ID card', async () => {
  const resident = await phone('wx_resident_6');
  await acceptConsentFromHome(resident);
  await resident.tap('开始实名核验');
  await fillVerifyForm(resident, { name: '赵敏', idNumber: makeId('340104', '1992-07-07', 322), sex: '女' });
  // Without face verification: her ID card goes to staff.
  await resident.tap('上传证件，由工作人员审核');
  // The front as a PDF from a chat (chooseMessageFile), the back as a photo.
  await resident.waitForText('从聊天记录选择 PDF', 'pages/documents/index');
  resident.wx.controls.media.push({ bytes: PDF, ext: 'pdf' });
  await resident.tap('从聊天记录选择 PDF', resident.page.section('hf-field', '身份证人像面'));
  await resident.waitFor('the PDF uploaded', () => resident.page.readable(resident.page.byClass('hf-upload')[0]).includes('已上传'));
  expect(resident.wx.calls.filter((c) => c.api === 'chooseMessageFile')).toHaveLength(1);
  resident.wx.controls.media.push({ bytes: JPEG, ext: 'jpg' });
  await resident.tap(resident.page.byClass('hf-upload')[1]);
  await resident.waitFor('the photo uploaded', () => resident.page.readable(resident.page.byClass('hf-upload')[1]).includes('已上传'));

  // No staff entry for a resident; one who opens the staff page anyway is turned away by the function's answer.
  expect(resident.screens.filter((s) => s.startsWith('pages/index/index') && s.includes('工作人员入口'))).toEqual([]);
  resident.rt.reLaunch('/staff/pages/index/index');
  await resident.waitForText('此页面仅限医保经办工作人员使用', 'staff/pages/index/index');

  const staff = await Weapp.open(cloud, 'sq_district', { password: 'Local@2023' });
  open.push(staff);
  staff.launch('pages/index/index');
  await staff.waitForText('工作人员入口', 'pages/index/index');
  await staff.tap('工作人员入口');
  await staff.waitForText('审核证件材料', 'staff/pages/index/index');
  // The progress chart (issue 13, F2 on a 2d canvas): the harness has no canvas node, so the
  // chart gives up softly — the canvas goes, the value list stays, nothing throws.
  const home = await staff.waitForText('各区参保率', 'staff/pages/index/index');
  await staff.waitFor('the chart without a canvas node', () => home.all((n) => home.tagOf(n) === 'canvas').length === 0);
  const chart = home.byClass('hf-card').find((n) => home.readable(n).includes('各区参保率'))!;
  expect(home.readable(chart)).toMatch(/目标 9[59]%.*蜀山 (\d+(\.\d)?%|无基数)/);
  await staff.tap('审核证件材料');
  const list = await staff.waitForText('赵敏', 'staff/pages/documents/index');
  const items = list.byClass('hf-card').filter((n) => list.readable(n).includes('赵敏') && list.readable(n).includes('上传于'));
  expect(items.map((n) => list.readable(n).match(/身份证(人像|国徽)面/)?.[0]).sort()).toEqual(['身份证人像面', '身份证国徽面']);
  // The PDF opens in WeChat's document viewer (weapp has no links).
  const pdfItem = () => staff.page.byClass('hf-card').find((n) => staff.page.readable(n).includes('赵敏') && staff.page.readable(n).includes('身份证人像面'))!;
  await staff.tap('查看材料', pdfItem());
  await staff.tap('打开查看', pdfItem());
  await staff.waitFor('the PDF opened', () => staff.wx.ui.find((u) => u.kind === 'document'));
  expect(staff.wx.ui.find((u) => u.kind === 'document')?.title).toBe(`pdf ${PDF.length} bytes`);
  for (const side of ['身份证人像面', '身份证国徽面']) {
    const item = staff.page.byClass('hf-card').find((n) => staff.page.readable(n).includes('赵敏') && staff.page.readable(n).includes(side))!;
    await staff.tap(/^通过$/, item);
    await staff.waitForText('赵敏的材料已通过', 'staff/pages/documents/index');
  }
  const docs = cloud.store.find('documents', {}) as unknown as { status: string; kind: string }[];
  expect(docs.filter((d) => d.status === 'approved').length).toBeGreaterThanOrEqual(2);
});
