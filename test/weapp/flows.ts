/** Steps of the resident's flow, played on the weapp build as a person taps and types. */
import { expect } from '@jest/globals';
import { JPEG } from '../cloud/helpers';
import type { Weapp } from './harness';

export interface Facts {
  name: string;
  idNumber: string;
  sex: '男' | '女';
  address?: string;
  mobile?: string;
}

/** Home asks for the privacy notice first; the resident ticks it and agrees. */
export async function acceptConsentFromHome(w: Weapp): Promise<void> {
  await w.waitForText('开始办理前', 'pages/index/index');
  await w.tap('阅读并同意');
  await w.waitForText('同意并继续', 'pages/consent/index');
  await w.tap('同意并继续');
  // Refused until ticked.
  expect(w.page.text).toContain('请先勾选');
  await w.tap('我已阅读并同意《隐私保护说明》');
  await w.tap('同意并继续');
  await w.waitForText('开始实名核验', 'pages/index/index');
}

/** On 实名核验: the ID card's facts of a local-hukou adult, the two eligibility answers 否. */
export async function fillVerifyForm(w: Weapp, f: Facts): Promise<void> {
  await w.waitForText('开始人脸核验', 'pages/verify/index');
  await w.type('与证件上的姓名一致', f.name);
  await w.type('请输入18位身份证号码', f.idNumber);
  // Sex is read from the ID number: the form no longer asks it.
  await w.tap('合肥市户籍');
  await w.type('例如：合肥市蜀山区长江西路100号', f.address ?? '合肥市蜀山区长江西路100号');
  await w.type('11位手机号码', f.mobile ?? '13800001234');
  for (const q of ['是否已参加职工医保？', '是否已在其他城市参加本年度居民医保？']) await w.tap(/^否$/, w.page.section('hf-question', q));
}

/** On 上传证件 (flow): both sides of the ID card picked from the album, then 下一步. */
export async function uploadIdCard(w: Weapp): Promise<void> {
  await w.waitForText('拍照或从相册选择', 'pages/documents/index');
  for (const slot of [0, 1]) {
    w.wx.controls.media.push({ bytes: JPEG, ext: 'jpg' });
    await w.tap(w.page.byClass('hf-upload')[slot]);
    await w.waitFor(`ID card side ${slot + 1} uploaded`, () => w.page.readable(w.page.byClass('hf-upload')[slot]).includes('已上传'));
  }
  await w.tap('下一步');
}

/** From home: consent, then 实名核验 by face (no document needed after it); ends on 核对 with the resident's quote. */
export async function verifiedToQuote(w: Weapp, f: Facts): Promise<void> {
  await acceptConsentFromHome(w);
  await w.tap('开始实名核验');
  await fillVerifyForm(w, f);
  await w.tap('开始人脸核验');
  await w.waitForText('确认无误，去支付', 'pages/quote/index');
}
