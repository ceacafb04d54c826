/** Wording of the account and audit pages (staff subpackage): organisation kinds, account states, audit entries. */
export const ORG_KIND_TEXT: Record<string, string> = {
  city: '市医保中心',
  district: '区县（开发区）',
  community: '社区/村居',
  university: '高校',
  school: '学校',
  department: '部门',
};

export const ACCOUNT_STATUS_TEXT: Record<string, string> = { invited: '待绑定', active: '已启用', disabled: '已停用' };

export const AUDIT_ENTITY_TEXT: Record<string, string> = {
  enrollment: '参保状态',
  order: '缴费订单',
  payment: '缴费',
  document: '证件材料',
  person: '人员信息',
  family_link: '家庭授权',
  identity_check: '身份核验',
  invitation: '家人邀请',
  staff_account: '工作人员账号',
  organisation: '机构',
  cash_payment: '现金缴费',
  cash_remittance: '现金汇缴',
  refund: '退费',
};
