/**
 * Reference and demo data for a local system started with `npm start`, written once
 * per data folder (marker: <data>/seeded.json):
 * - staff accounts: seeded by the local cloud itself (cloudfunctions/local-cloud/seed/staff.json);
 * - assistance lists (资助参保名单) for benefit year 2024, as the departments would send them;
 * - a resident who enrolled and paid for 2022, so a renewal can be tried at once.
 * The 2022 enrollment goes through the real functions and the simulated pay sheet,
 * with the local cloud's clock moved into the 2021 window and back.
 */
import { createHmac } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { idCheckCharacter } from '../cloudfunctions/src/policy';
import type { LocalCloud } from '../cloudfunctions/local-cloud/server';

function demoId(division: string, birth: string, seq: number): string {
  const first17 = `${division}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** Demo people (fictional; ID numbers valid by checksum only). */
export const DEMO = {
  renewal: { account: 'demo_renewal', name: '王秀兰', idNumber: demoId('340104', '1956-04-12', 122) },
  dibao: { name: '李建国', idNumber: demoId('340102', '1968-09-03', 311), category: 'dibao' },
  tekun: { name: '赵桂芳', idNumber: demoId('340122', '1949-01-20', 242), category: 'tekun' },
  fanpin: { name: '陈有福', idNumber: demoId('340124', '1975-06-30', 153), category: 'fanpin' },
};

const JPEG_STUB = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0demo-id-card'), Buffer.from([0xff, 0xd9])]);

/** One function call through the gateway with `token`; throws with the error code on a refusal. */
export async function gatewayCall(url: string, token: string, fn: string, event: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${url}/api/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(event),
  });
  const body = (await res.json()) as any;
  if (!res.ok || !body.result?.ok) throw new Error(`${fn}.${event.action} failed: ${JSON.stringify(body.result?.error ?? body.error)}`);
  return body.result.data;
}

/** A person a resident registers for themself: what `verifySelf` takes, less the action and the verification. */
export interface SelfRegistration {
  name: string;
  sex: 'male' | 'female';
  idNumber: string;
  address: string;
  mobile: string;
}

/**
 * Enrolls and pays for one person through the real functions, as a resident would: sign in,
 * consent, verify themself (simulated face sheet), attach an ID-card photo, order, pay in the
 * simulated sheet, query.
 * Used by the seed and by tests that need an earlier year's enrollment.
 */
export async function enrollThroughGateway(url: string, account: string, person: SelfRegistration, benefitYear: number): Promise<void> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account }),
  });
  const { token } = (await login.json()) as { token: string };
  await gatewayCall(url, token, 'resident', { action: 'acceptConsent', version: '2023-08' });
  // 微信人脸核身 through the local cloud's simulated sheet, then verifySelf registers the person.
  const sheet = await fetch(`${url}/api/identity/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: person.name, idNumber: person.idNumber, pass: true }),
  });
  if (!sheet.ok) throw new Error(`simulated face verification failed (${sheet.status})`);
  const { verifyResult } = (await sheet.json()) as { verifyResult: string };
  const { personId } = await gatewayCall(url, token, 'resident', { action: 'verifySelf', ...person, hukou: 'local', answers: { employeeInsured: false, enrolledElsewhere: false }, verifyResult });
  const { cloudPath } = await gatewayCall(url, token, 'resident', { action: 'requestUpload', personId, kind: 'id_card_front', ext: 'jpg' });
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([JPEG_STUB]), 'front.jpg');
  const up = await fetch(`${url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const { fileID } = (await up.json()) as { fileID: string };
  await gatewayCall(url, token, 'resident', { action: 'attachDocument', personId, kind: 'id_card_front', fileID });
  const order = await gatewayCall(url, token, 'payment', { action: 'createOrder', items: [{ personId, benefitYear }] });
  const confirm = await fetch(`${url}/api/pay/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ outTradeNo: order.outTradeNo }),
  });
  if (!confirm.ok) throw new Error(`simulated payment failed (${confirm.status})`);
  const paid = await gatewayCall(url, token, 'payment', { action: 'queryOrder', outTradeNo: order.outTradeNo });
  if (paid.status !== 'paid') throw new Error(`order for ${benefitYear} not paid`);
}

export async function seedReferenceData(cloud: LocalCloud): Promise<boolean> {
  const marker = join(cloud.dataDir, 'seeded.json');
  if (existsSync(marker)) return false;
  const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8')) as { idHmacKey: string };
  const idHash = (id: string) => createHmac('sha256', Buffer.from(keys.idHmacKey, 'hex')).update(id.toUpperCase()).digest('hex');

  cloud.store.write(
    [DEMO.dibao, DEMO.tekun, DEMO.fanpin].map((p) => ({
      c: 'assistance_lists',
      id: `seed-2024-${p.category}`,
      doc: { _id: `seed-2024-${p.category}`, idHash: idHash(p.idNumber), benefitYear: 2024, category: p.category, source: '民政部门（演示数据）' } as any,
    })),
  );

  const resumeAt = new Date(cloud.clock.now().getTime());
  cloud.clock.set(new Date('2021-10-08T10:00:00+08:00'));
  try {
    await enrollThroughGateway(cloud.url, DEMO.renewal.account, {
      name: DEMO.renewal.name,
      sex: 'female',
      idNumber: DEMO.renewal.idNumber,
      address: '合肥市蜀山区稻香村街道',
      mobile: '13900001111',
    }, 2022);
  } finally {
    cloud.clock.set(resumeAt);
  }
  writeFileSync(marker, JSON.stringify({ seededAt: new Date().toISOString(), demo: Object.keys(DEMO) }, null, 2));
  return true;
}
