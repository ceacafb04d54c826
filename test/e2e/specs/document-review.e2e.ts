/**
 * Staff review of an identity document: a resident registers without face verification, with an
 * ID-card upload (the document path of 实名核验); the 蜀山区
 * district office (sq_district) signs in, opens the image and asks for a better document with a
 * reason; the resident sees why on home and uploads again, which is pending review again and approved.
 */
import { browserScenario, screenshot } from '../support/browser';
import { acceptConsent, button, fillPerson, makeId, openApp, pngFixture, settle, signIn, type, vis } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'document-review';
const world = browserScenario('2023-10-08T10:00:00+08:00', { pages: 2 });
const REASON = '照片不清晰，请在光线充足处重新拍摄';
const ID_NUMBER = makeId('340104', '1990-03-15', 217);

test('district staff ask for a better document; the resident sees why and uploads again', async () => {
  const { cloud, pages: [resident, staff] } = world;
  // Resident: without face verification (the document path of 实名核验), registers with an
  // upload of the ID card's front (蜀山区 number) for staff to review.
  await openApp(resident, cloud);
  await signIn(resident, 'liuyang');
  await acceptConsent(resident);
  await resident.getByTestId('no-persons').waitFor();
  await button(resident, '开始实名核验').click();
  await fillPerson(resident, { name: '刘洋', idNumber: ID_NUMBER, sex: '男', hukou: '合肥市户籍' });
  await button(resident, '上传证件，由工作人员审核').click();
  await vis(resident, 'slot-id_card_front').waitFor();
  await vis(resident, 'slot-id_card_front').locator('input[type=file]').setInputFiles(pngFixture());
  await vis(resident, 'slot-id_card_front').getByText('已上传，等待审核').waitFor();
  await screenshot(resident, SPEC, '01-resident-uploaded');

  // Staff: sq_district signs in with the password, opens the review list.
  await openApp(staff, cloud);
  await signInStaff(staff, 'sq_district');
  await staff.getByTestId('staff-documents-entry').waitFor();
  await screenshot(staff, SPEC, '02-staff-home');
  await button(staff, '审核证件材料').click();
  const item = staff.locator('[data-testid="review-item"]:visible', { hasText: '刘洋' });
  await item.waitFor();
  expect(await item.textContent()).toContain('身份证人像面');
  expect(await item.textContent()).toContain('蜀山区');
  expect(await item.textContent()).toContain('上传于 2023-10-08 10:00');
  // Issue 11: what the person registered, beside the file.
  const facts = await item.getByTestId('review-facts').textContent();
  expect(facts).toContain('常住地址：');
  expect(facts).toContain('户籍：合肥市户籍');
  expect(facts).toContain('2024年度缴费：未参保');
  // Search by the full ID number (the function looks it up by its keyed hash).
  await type(staff, 'query', ID_NUMBER);
  await button(staff, '查找').click();
  await settle(staff);
  await item.waitFor();
  expect(await staff.locator('[data-testid="review-item"]:visible').count()).toBe(1);
  await screenshot(staff, SPEC, '02b-staff-found-by-id');
  await item.locator('.nut-button', { hasText: '查看材料' }).click();
  const image = item.getByTestId('review-image');
  await image.waitFor();
  await screenshot(staff, SPEC, '03-staff-image');

  // Asks for a better document: an empty reason is refused next to the field, then the reason.
  await item.locator('.nut-button', { hasText: '要求重新上传' }).click();
  await item.locator('.nut-button', { hasText: '确认要求重新上传' }).click();
  await item.getByText('请填写原因（至少 2 个字）').waitFor();
  await type(staff, 'reason', REASON);
  await screenshot(staff, SPEC, '04-staff-reason');
  await item.locator('.nut-button', { hasText: '确认要求重新上传' }).click();
  await staff.getByText('已通知刘洋重新上传').waitFor();
  await screenshot(staff, SPEC, '05-staff-sent');

  // Resident: home shows why, and the person uploads again.
  await resident.goto(`${cloud.url}/#/pages/index/index`);
  await settle(resident);
  const card = resident.getByTestId('person-card');
  await card.getByText(`证件需要重新上传：${REASON}`).waitFor();
  await screenshot(resident, SPEC, '06-resident-home-reason');
  await button(resident, '重新上传').click();
  await vis(resident, 'reason-id_card_front').getByText(REASON).waitFor();
  await vis(resident, 'slot-id_card_front').locator('input[type=file]').setInputFiles(pngFixture('better.png'));
  await vis(resident, 'slot-id_card_front').getByText('已上传，等待审核').waitFor();
  await screenshot(resident, SPEC, '07-resident-reuploaded');

  // Pending again: staff see the new upload after refreshing.
  await staff.reload();
  await settle(staff);
  const again = staff.locator('[data-testid="review-item"]:visible', { hasText: '刘洋' });
  await again.waitFor();
  await screenshot(staff, SPEC, '08-staff-pending-again');
  const docs = (cloud.store.all('documents') as any[]).map((d) => d.status).sort();
  expect(docs).toEqual(['pending_review', 'replaced']);

  // And approved.
  await again.locator('.nut-button', { hasText: '通过' }).first().click();
  await staff.getByText('刘洋的材料已通过').waitFor();
  await screenshot(staff, SPEC, '09-staff-approved');
  expect((cloud.store.all('documents') as any[]).map((d) => d.status).sort()).toEqual(['approved', 'replaced']);
});
