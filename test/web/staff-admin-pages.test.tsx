/**
 * Issue 11 staff pages against a wx.cloud stub (weapp): 更正所属社区 (reached from 证件材料审核 and
 * 现金收缴; a district chooses among its own communities; the reason is required; the server's
 * refusal is shown with its code), 现金收缴's community choice for a district office, and
 * 操作日志's Chinese wording (never "invited → active") with the filter by staff account name.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import PersonCommunityPage from '@/staff/pages/person-community/index';
import StaffCashDeskPage from '@/staff/pages/cash/index';
import StaffAuditPage from '@/staff/pages/audit/index';
import { auditActionText } from '@/staff/admin-text';

const params: Record<string, string> = {};
jest.mock('@tarojs/taro', () => {
  const actual = jest.requireActual('@tarojs/taro');
  return { __esModule: true, ...actual, default: actual.default, useRouter: () => ({ params }) };
});

const T = Taro as unknown as Record<string, any>;
const savedCloud = T.cloud;
let calls: Array<{ name: string; data: any }>;
type Answer = unknown | ((data: any) => unknown);

function cloud(role: string, answers: Record<string, Answer>) {
  calls = [];
  T.cloud = {
    callFunction: jest.fn(async ({ name, data }: { name: string; data: any }) => {
      calls.push({ name, data });
      if (name === 'staffDocuments' && data.action === 'whoami') return { result: { ok: true, data: { staff: true, role } } };
      const a = answers[data.action];
      if (a === undefined) return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
      const v = typeof a === 'function' ? (a as (d: any) => unknown)(data) : a;
      return { result: v && typeof v === 'object' && 'ok' in (v as object) ? v : { ok: true, data: v } };
    }),
  };
}

const COMMUNITIES = {
  items: [
    { orgId: 'org-c-340104-anjuyuan', kind: 'community', name: '安居苑社区', district: '蜀山区', township: '三里庵街道' },
    { orgId: 'org-c-340104-daoxiangcun', kind: 'community', name: '稻香村社区', district: '蜀山区', township: '稻香村街道' },
    { orgId: 'org-s-1', kind: 'school', name: '蜀山小学', district: '蜀山区', township: null },
  ],
  creatable: ['community', 'school'],
};

const radio = (group: string, label: string) =>
  Array.from(screen.getByTestId(group).querySelectorAll('[role="radio"]')).find((el) => el.textContent?.includes(label)) as HTMLElement;
const buttonWith = (text: string) => Array.from(document.querySelectorAll('.nut-button')).find((b) => b.textContent?.includes(text)) as HTMLElement;
async function typeInto(name: string, value: string) {
  let el: HTMLInputElement | null = null;
  await waitFor(() => {
    el = document.querySelector<HTMLInputElement>(`input[name="${name}"], textarea[name="${name}"]`);
    expect(el).toBeTruthy();
  });
  await act(async () => {
    fireEvent.input(el!, { target: { value } });
  });
}

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  for (const k of Object.keys(params)) delete params[k];
});
afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

describe('更正所属社区', () => {
  it('a district office picks one of its communities (schools left out), gives a reason, and the change is sent', async () => {
    Object.assign(params, { personId: 'p-42', name: encodeURIComponent('林涛'), district: encodeURIComponent('蜀山区'), community: '' });
    cloud('district', {
      listOrganisations: COMMUNITIES,
      setPersonCommunity: (d: any) => ({ personId: d.personId, communityId: d.communityId, community: '稻香村社区' }),
    });
    render(<PersonCommunityPage />);
    expect((await screen.findByTestId('community-person')).textContent).toContain('现所属社区：未选择（蜀山区）');
    await screen.findByTestId('choice-community');
    expect(screen.getByTestId('choice-community').textContent).not.toContain('蜀山小学');
    await act(async () => fireEvent.click(buttonWith('确认更正')));
    expect(screen.getByText('请选择社区（村居）')).toBeTruthy();
    expect(screen.getByText('请填写原因（至少 2 个字）')).toBeTruthy();
    expect(calls.some((c) => c.data.action === 'setPersonCommunity')).toBe(false);

    await act(async () => fireEvent.click(radio('choice-community', '稻香村社区')));
    await typeInto('reason', '居民已搬至稻香村居住');
    await act(async () => fireEvent.click(buttonWith('确认更正')));
    expect((await screen.findByTestId('community-done')).textContent).toContain('已更正为 稻香村社区');
    expect(calls.find((c) => c.data.action === 'setPersonCommunity')).toEqual({
      name: 'staffAdmin',
      data: { action: 'setPersonCommunity', personId: 'p-42', communityId: 'org-c-340104-daoxiangcun', reason: '居民已搬至稻香村居住' },
    });
  });

  it('the server\'s refusal (out of scope) is shown with its code and nothing is claimed done', async () => {
    Object.assign(params, { personId: 'p-43', name: encodeURIComponent('陈静'), district: encodeURIComponent('蜀山区'), community: encodeURIComponent('安居苑社区') });
    cloud('district', {
      listOrganisations: COMMUNITIES,
      setPersonCommunity: { ok: false, error: { code: 'OUT_OF_SCOPE', message: '该人员不在您的管辖范围内' } },
    });
    render(<PersonCommunityPage />);
    await screen.findByTestId('choice-community');
    await act(async () => fireEvent.click(radio('choice-community', '稻香村社区')));
    await typeInto('reason', '核对居住地址');
    await act(async () => fireEvent.click(buttonWith('确认更正')));
    expect(await screen.findByText('该人员不在您的管辖范围内（错误代码：OUT_OF_SCOPE）')).toBeTruthy();
    expect(screen.queryByTestId('community-done')).toBeNull();
  });
});

describe('现金收缴 for a district office', () => {
  it('registering a person asks which of the district\'s communities they belong to and sends it', async () => {
    const person = {
      personId: 'p-new', name: '王秀英', idMasked: '340***********3029', district: '蜀山区', community: '稻香村社区', benefitYear: 2024, quote: null,
      enrollment: { state: 'none', text: '未参保', paidBy: null }, pendingAuthorizations: [],
    };
    cloud('district', { listOrganisations: COMMUNITIES, findPerson: { found: false }, registerPerson: { found: true, person } });
    render(<StaffCashDeskPage />);
    await typeInto('name', '王秀英');
    await typeInto('idNumber', '340104195502023029');
    await act(async () => fireEvent.click(buttonWith('查找')));
    await screen.findByTestId('desk-register');
    await screen.findByTestId('choice-community');
    await typeInto('address', '合肥市蜀山区稻香村小区1栋');
    await typeInto('mobile', '13900001111');
    await act(async () => fireEvent.click(radio('choice-hukou', '合肥')));
    for (const q of ['employeeInsured', 'enrolledElsewhere']) await act(async () => fireEvent.click(radio(`question-${q}`, '否')));
    await act(async () => fireEvent.click(buttonWith('登记并查看应缴金额')));
    expect(await screen.findByText('请选择参保人所在的社区（村居）')).toBeTruthy();
    expect(calls.some((c) => c.data.action === 'registerPerson')).toBe(false);
    await act(async () => fireEvent.click(radio('choice-community', '稻香村社区')));
    await act(async () => fireEvent.click(buttonWith('登记并查看应缴金额')));
    await waitFor(() => expect(calls.find((c) => c.data.action === 'registerPerson')?.data.communityId).toBe('org-c-340104-daoxiangcun'));
    // The found person carries the way to correct their community.
    expect((await screen.findByTestId('fix-community')).textContent).toContain('更正所属社区');
  });
});

describe('操作日志 wording and filters', () => {
  const row = (over: Record<string, unknown>) => ({
    entryId: `e${Math.random()}`, at: '2023-10-08T02:00:00.000Z', entity: 'staff_account', from: 'invited', to: 'active', reason: 'invitation code used', level: 'info',
    actorKind: 'staff', actorLabel: '周敏（琥珀社区）', actorRole: 'community', subject: null, ...over,
  });

  it('states in Chinese, internal notes hidden, staff reasons shown', () => {
    expect(auditActionText({ entity: 'staff_account', from: 'invited', to: 'active' })).toBe('待绑定 → 已启用');
    expect(auditActionText({ entity: 'order', from: null, to: 'pending' })).toBe('待支付');
    expect(auditActionText({ entity: 'payment', from: 'cash_unremitted', to: 'remitted' })).toBe('收取现金（未汇缴） → 已汇缴');
    expect(auditActionText({ entity: 'person', from: 'community:a', to: 'community:b' })).toBe('更正所属社区');
    expect(auditActionText({ entity: 'family_link', from: 'self/pending', to: 'self/active' })).toBe('待确认 → 授权有效');
    expect(auditActionText({ entity: 'order', from: 'pending', to: 'something_new' })).toBe('待支付 → 状态变更');
  });

  it('the page shows no stored codes and sends the staff account name as staffName', async () => {
    cloud('district', {
      auditLog: (d: any) => ({
        items: d.staffName
          ? [row({ entity: 'person', from: null, to: 'community:org-c-1', reason: '居民已搬至稻香村居住', subject: { name: '林*', idMasked: '340***********5122' } })]
          : [row({})],
        nextCursor: null,
      }),
    });
    render(<StaffAuditPage />);
    const first = await screen.findByTestId('audit-item');
    expect(first.textContent).toContain('待绑定 → 已启用');
    expect(first.textContent).not.toMatch(/invited|active|invitation code used/);
    await typeInto('staff', '周敏');
    await act(async () => fireEvent.click(buttonWith('查询')));
    await waitFor(() => expect(calls.filter((c) => c.data.action === 'auditLog').pop()?.data.staffName).toBe('周敏'));
    await waitFor(() => expect(screen.getByTestId('audit-item').textContent).toContain('设定所属社区'));
    expect(screen.getByTestId('audit-item').textContent).toContain('原因：居民已搬至稻香村居住');
    expect(screen.getByTestId('audit-item').textContent).toContain('林* 340***********5122');
  });
});
