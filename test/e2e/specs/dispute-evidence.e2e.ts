/**
 * Issue 11, 身份争议核实 with the evidence side by side: an account registered 陈静 as itself
 * without face verification and uploaded an ID-card photo; then 陈静 verified by face on her own
 * WeChat and uploaded hers. The 蜀山区 office sees both claims next to each other, opens each
 * side's document (through the function: type re-checked, short-lived URL), and revokes the
 * unverified claim with a reason; that account's home then says 未通过核实 in the staff's words.
 */
import { deflateSync } from 'zlib';
import { writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { browserScenario, screenshot } from '../support/browser';
import { button, makeId, openApp, settle, signIn, type } from '../support/resident';
import { signInStaff } from '../support/staff';
import { gatewayCall } from '../../../scripts/seed';

const SPEC = 'dispute-evidence';
const PERSON = { name: '陈静', idNumber: makeId('340104', '1986-09-12', 262) };
const REASON = '本人已人脸核验，该登记人无法说明与本人的关系';

/** A solid-colour PNG (a visible stand-in for a photo in the screenshots). */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: width }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function login(url: string, account: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account }) });
  return ((await r.json()) as { token: string }).token;
}

async function uploadIdCard(url: string, token: string, personId: string, bytes: Buffer): Promise<void> {
  const { cloudPath } = await gatewayCall(url, token, 'resident', { action: 'requestUpload', personId, kind: 'id_card_front', ext: 'png' });
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([bytes]), 'id.png');
  const up = await fetch(`${url}/api/storage/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const { fileID } = (await up.json()) as { fileID: string };
  await gatewayCall(url, token, 'resident', { action: 'attachDocument', personId, kind: 'id_card_front', fileID });
}

const FORM = { sex: 'female', hukou: 'local', address: '合肥市蜀山区黄山路1号', mobile: '13700002222', answers: { employeeInsured: false, enrolledElsewhere: false } };

/** Set-up through the gateway: the unverified registration with its photo, then 陈静's own face verification and photo. */
async function twoClaims(url: string): Promise<void> {
  const squatter = await login(url, 'zhaolei');
  await gatewayCall(url, squatter, 'resident', { action: 'acceptConsent', version: '2023-08' });
  const m = await gatewayCall(url, squatter, 'resident', { action: 'addFamilyMember', ...FORM, ...PERSON, relation: 'self' });
  await uploadIdCard(url, squatter, m.personId, png(240, 150, [200, 120, 60]));

  const herself = await login(url, 'chenjing');
  await gatewayCall(url, herself, 'resident', { action: 'acceptConsent', version: '2023-08' });
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${herself}` };
  const sheet = await fetch(`${url}/api/identity/verify`, { method: 'POST', headers: auth, body: JSON.stringify({ ...PERSON, pass: true }) });
  const { verifyResult } = (await sheet.json()) as { verifyResult: string };
  const v = await gatewayCall(url, herself, 'resident', { action: 'verifySelf', ...FORM, ...PERSON, verifyResult });
  await uploadIdCard(url, herself, v.personId, png(240, 150, [60, 120, 200]));
}

const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2, setup: (cloud) => twoClaims(cloud.url) });

test('staff compare both claims with their documents side by side and revoke the unverified one with a reason', async () => {
  const { cloud, pages: [claimant, staff] } = world;
  try {
    await openApp(staff, cloud);
    await signInStaff(staff, 'sq_district');
    await button(staff, '核实身份争议').click();
    await settle(staff);
    const item = staff.locator('[data-testid="dispute-item"]:visible', { hasText: PERSON.name });
    await item.waitFor();
    const disputed = item.getByTestId('claim-disputed');
    const other = item.getByTestId('claim-other');
    expect(await disputed.textContent()).toContain('未实名核验');
    expect(await disputed.textContent()).toContain('未核验身份的登记');
    expect(await other.textContent()).toContain('已实名核验');
    expect(await other.textContent()).toContain('本人（已核验）');
    await screenshot(staff, SPEC, '01-staff-both-claims');

    // Each side's document opens through the function.
    await disputed.locator('.nut-button', { hasText: '查看材料' }).click();
    await other.locator('.nut-button', { hasText: '查看材料' }).click();
    await disputed.getByTestId('review-image').waitFor();
    await other.getByTestId('review-image').waitFor();
    for (const img of [disputed.getByTestId('review-image'), other.getByTestId('review-image')]) {
      const src = (await img.locator('img').first().getAttribute('src')) ?? (await img.getAttribute('src'));
      expect(src).toMatch(/^https?:\/\//);
    }
    await item.scrollIntoViewIfNeeded();
    await screenshot(staff, SPEC, '02-staff-evidence-side-by-side');

    await type(staff, 'reason', REASON);
    await item.locator('.nut-button', { hasText: '不同意，撤销登记' }).click();
    await staff.getByText(`对${PERSON.name}的登记`).waitFor();
    await screenshot(staff, SPEC, '03-staff-revoked');

    // The unverified registrant's home: 未通过核实, with the staff's words.
    await openApp(claimant, cloud);
    await signIn(claimant, 'zhaolei');
    await settle(claimant);
    const card = claimant.locator('[data-testid="person-card"]:visible', { hasText: PERSON.name });
    await card.getByTestId('person-authorization').getByText('未通过核实').waitFor();
    await card.getByText(REASON, { exact: false }).waitFor();
    await screenshot(claimant, SPEC, '04-claimant-home-declined');
  } catch (e) {
    await Promise.all(world.pages.map((p, i) => screenshot(p, SPEC, `zz-failed-phone${i + 1}`).catch(() => undefined)));
    throw e;
  }
});
