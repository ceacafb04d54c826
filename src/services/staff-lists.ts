/**
 * The client of the `staffLists` function (assisted-people lists, mobilization and
 * reconciliation). Role and scope are checked there; the pages never decide them. Used by the
 * staff subpackage only.
 */
import { staffListsReplies, type StaffListsAction, type StaffListsReply, type StaffListsRequestInput } from '@contracts/staffLists';
import { callFunction } from './cloud';

type StaffListsEvent<A extends StaffListsAction> = Extract<StaffListsRequestInput, { action: A }>;

export function staffLists<A extends StaffListsAction>(event: StaffListsEvent<A>): Promise<StaffListsReply<A>> {
  const schema = staffListsReplies[event.action as A];
  return callFunction('staffLists', event, schema as never) as Promise<StaffListsReply<A>>;
}

/** 救助类别 a sheet without that column can be imported as (the server recognises more names). */
export const LIST_CATEGORIES = ['特困人员', '社会散居孤儿', '事实无人抚养儿童', '低保对象', '低保边缘家庭老年人', '计划生育特殊家庭父母', '返贫致贫人口', '防止返贫监测对象'];

export const LIST_KIND_TEXT: Record<string, string> = {
  initial: '初始名单',
  addition: '集中参保期新增名单',
  late_addition: '新增名单（已过导入截止日）',
  monthly_change: '月度变动名单',
};

export const ROW_CODE_TEXT: Record<string, string> = {
  NAME_MISSING: '姓名为空',
  ID_INVALID: '身份证号码不正确',
  CATEGORY_UNKNOWN: '救助类别无法识别',
  CATEGORY_NOT_IN_YEAR: '本年度无此资助类别',
  CATEGORY_NOT_YOURS: '非本单位报送的类别',
  OUT_OF_SCOPE: '不在本辖区',
  DUPLICATE_IN_FILE: '文件内重复',
};
