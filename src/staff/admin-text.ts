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
  policy_table: '参保政策',
  assistance_list: '资助名单',
  student_roster: '学生名单',
};

/** The states audit entries move between, in the words staff use (never the stored codes). */
const AUDIT_STATE_TEXT: Record<string, string> = {
  invited: '待绑定', active: '已启用', disabled: '已停用', bind_refused: '邀请码无效，未绑定', bootstrap_refused: '初始化被拒绝',
  created: '已创建', registered: '已登记', verified_face: '刷脸核验通过', verified_document: '证件核验通过',
  name_unverified: '姓名未核实', name_verified: '姓名已核实', verified_account: '已有核验账号', no_verified_account: '解除核验账号', verified_account_replaced: '核验账号已更换',
  pending_review: '待审核', approved: '审核通过', needs_resubmission: '退回重传', file_deleted: '文件已按期删除',
  open: '未缴费', awaiting_payment: '待支付', paid_pending_sync: '已缴费，待同步', enrolled: '已参保', assisted_covered: '全额资助参保',
  sync_exported: '已报送医保系统', sync_refused: '医保系统退回', sync_due: '待重新报送', roster_pending: '待学校代收',
  pending: '待支付', closing: '正在关闭', paid: '已支付', closed: '已关闭', expired: '已超时关闭', refunded: '已退款', unknown: '未知订单的支付通知',
  recorded: '已入账', cash_unremitted: '收取现金（未汇缴）', remitted: '已汇缴', reversed: '已冲正', refund_requested: '申请退费', double_payment: '重复缴费',
  university_collected: '学校代收', requested: '已申请', submitting: '提交中', processing: '退款处理中', success: '退款成功',
  failed: '核验未通过', alert: '多次失败，已预警', worked: '已上门动员', draft: '草稿', published: '已发布', discarded: '已废弃',
};
/** A family link's states (its `to` is basis/status). */
const LINK_STATUS_TEXT: Record<string, string> = { active: '授权有效', pending: '待确认', disputed: '待社区核实', declined: '核实未通过', revoked: '已解除', ended: '已解除' };

/** A refund's states (domain/orders/refunds.ts): 'failed' there is WeChat Pay refusing it, not a check. */
const REFUND_STATE_TEXT: Record<string, string> = { requested: '已申请退款', submitting: '提交中', processing: '退款处理中', succeeded: '退款成功', failed: '退款未成功，需人工处理' };

function stateText(entity: string, state: string): string {
  if (entity === 'family_link') return LINK_STATUS_TEXT[state.split('/').pop() ?? ''] ?? '授权变更';
  if (entity === 'refund') return REFUND_STATE_TEXT[state] ?? '状态变更';
  if (state.startsWith('community:')) return '所属社区';
  return AUDIT_STATE_TEXT[state] ?? '状态变更';
}

/** What an audit entry did, in Chinese: 待绑定 → 已启用, 更正所属社区, … (never "invited → active"). */
export function auditActionText(r: { entity: string; from: string | null; to: string }): string {
  if (r.to.startsWith('community:')) return r.from ? '更正所属社区' : '设定所属社区';
  const to = stateText(r.entity, r.to);
  return r.from && r.from !== r.to ? `${stateText(r.entity, r.from)} → ${to}` : to;
}

/** A reason staff wrote (Chinese) is shown; the system's own notes are not meant for them. */
export const staffReason = (reason: string): string | null => (/[\u4e00-\u9fa5]/.test(reason) ? reason : null);
