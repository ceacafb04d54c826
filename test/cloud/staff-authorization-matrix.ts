/**
 * The staff authorization matrix (issue 11), as data: every staff function and action, which
 * roles may call it, how a person outside the caller's scope shows (a refusal code, or a list
 * that leaves them out), and the event to send for a person in and out of scope. The table-driven
 * test `staff-authorization-matrix.test.ts` runs it against the local cloud; other suites (the
 * reliability suite) import `STAFF_MATRIX`, `ROLES`, `AUTH_CODES` and the fixture type.
 */

import { jobIdOf } from '../../cloudfunctions/src/domain/jobs/jobs';

export type Role = 'community' | 'district' | 'university' | 'department' | 'city';
export const ROLES: readonly Role[] = ['community', 'district', 'university', 'department', 'city'];

/** The seeded local accounts (cloudfunctions/local-cloud/seed/staff.json) of each role. */
export const ROLE_ACCOUNTS: Readonly<Record<Role, string>> = {
  community: 'sq_worker', // 蜀山区 三里庵街道 安居苑社区
  district: 'sq_district', // 蜀山区
  university: 'hfut_staff',
  department: 'mz_dept',
  city: 'city_center',
};

/** Codes that mean "not you / not this person": an allowed call in scope never gets one. */
export const AUTH_CODES = ['FORBIDDEN', 'OUT_OF_SCOPE', 'STAFF_DISABLED', 'OWN_FAMILY', 'UNAUTHENTICATED'];

/** What the matrix acts on: one of each, in the community worker's scope (安居苑社区) and outside the district's (包河区 望湖社区). */
export interface MatrixFixture {
  in: SideFixture;
  out: SideFixture;
  /** Organisations: in/out of each manager's reach. */
  orgs: { districtIn: string; districtOut: string; cityIn: string };
  /** Invited accounts: one a 蜀山区 community's (district manages it), one a district's (city), one a 包河区 community's. */
  accounts: { districtIn: string; districtOut: string; cityIn: string };
  /** Rosters (issue 12; built by roster-matrix-fixture.ts). */
  roster?: RosterMatrixFixture;
  /** Assisted-people lists (issue 12; built by lists-matrix-fixture.ts). */
  lists?: ListsMatrixFixture;
  /** Season (issue 13; built by season-matrix-fixture.ts). */
  season?: SeasonMatrixFixture;
}

/** The city's season jobs and two screening entries: 安居苑社区 (in), 望湖社区 (out). */
export interface SeasonMatrixFixture {
  recountJob: string;
  importJob: string;
  runJob: string;
  fileID: string;
  entryIn: string;
  entryOut: string;
}

/**
 * Lists: 蜀山区's import (in), 包河区's (out), the department's own, the 安居苑 worker's export; a
 * mobilization entry of 安居苑 (in) and of 望湖 (out); 望湖's reconciliation entry; an uploaded
 * file per importing role and one in another office's folder (out).
 */
export interface ListsMatrixFixture {
  inJob: string;
  outJob: string;
  deptJob: string;
  exportJob: string;
  inEntry: string;
  outEntry: string;
  inReconciliation: string;
  outReconciliation: string;
  files: { district: string; department: string; city: string; out: string };
}

/**
 * Rosters: 合肥工业大学's (the university account's own: in), 安徽大学's (another university: out), and a
 * 蜀山区 school's (the district's "in"). Import jobs, one entry of each university, and an uploaded file.
 */
export interface RosterMatrixFixture {
  fileID: string;
  inJob: string;
  outJob: string;
  schoolJob: string;
  inEntry: string;
  outEntry: string;
  inOrg: string;
  outOrg: string;
  schoolOrg: string;
}

export interface SideFixture {
  personId: string;
  name: string;
  idNumber: string;
  communityId: string;
  documentId: string;
  /** A disputed link on the person. */
  disputeLinkId: string;
  /** A relative waiting for the person's signed authorization at the desk. */
  elder: { personId: string; name: string; idNumber: string; linkId: string; amountFen: number };
  /** A cash payment taken for the person (unremitted). */
  receiptNo: string;
  /** A fresh receipt number for recordCash. */
  newReceiptNo: string;
  /** An ID number nobody registered yet (female, born 1955), for registerPerson. */
  newcomerIdNumber: string;
  /** Her child's 2024 paid online through WeChat Pay (staffPayments). */
  online: { outTradeNo: string; personId: string };
}

export type Side = 'in' | 'out';
type Reply = any;

export interface MatrixRow {
  fn: 'staffDocuments' | 'staffIdentity' | 'staffCash' | 'staffAdmin' | 'staffPolicy' | 'staffRoster' | 'staffInsurance' | 'staffPayments' | 'staffLists' | 'staffSeason';
  action: string;
  /** Roles that may call it (others: FORBIDDEN). */
  allowed: readonly Role[];
  /** Residents (and staff of other roles) get an answer, not FORBIDDEN: whoami, bindInvitation, bootstrap. */
  open?: boolean;
  /**
   * How a person outside the scope shows for an allowed role: refused with one of these codes,
   * or `hidden` (true when the reply leaves the other person out); null: no person involved.
   */
  outOfScope: { refused: readonly string[] } | { hidden: (reply: Reply, f: MatrixFixture) => boolean } | null;
  event: (f: MatrixFixture, side: Side, role: Role) => Record<string, unknown>;
}

const REVIEW: readonly Role[] = ['community', 'district', 'city'];
const DESK: readonly Role[] = ['community', 'district'];
const MANAGERS: readonly Role[] = ['district', 'city'];
const idsOf = (items: Array<{ documentId?: string; linkId?: string; receiptNo?: string; staffId?: string }>) => items.map((i) => i.documentId ?? i.linkId ?? i.receiptNo ?? i.staffId);
const REASON = '核对材料后处理';
const ROSTER_READERS: readonly Role[] = ['university', 'district', 'city'];
/** The screening list: the city, district offices and community workers (their own community). */
const SCREENERS: readonly Role[] = ['community', 'district', 'city'];
/** The roster organisation a role reads on a side: its own university, the district's school; out: another university. */
const rosterOrg = (f: MatrixFixture, s: Side, role: Role) => (s === 'out' ? f.roster!.outOrg : role === 'district' ? f.roster!.schoolOrg : f.roster!.inOrg);
const LIST_IMPORTERS: readonly Role[] = ['district', 'department', 'city'];
const LIST_READERS: readonly Role[] = ['community', 'district', 'department', 'city'];
/** The import job a role reads on its side: its own (the community worker's: its export); out: 包河区's. */
const listJob = (f: MatrixFixture, s: Side, role: Role) => (s === 'out' ? f.lists!.outJob : role === 'community' ? f.lists!.exportJob : role === 'department' ? f.lists!.deptJob : f.lists!.inJob);
/** A file in the caller's own folder; out: one in 包河区's folder. */
const listFile = (f: MatrixFixture, s: Side, role: Role) => (s === 'out' ? f.lists!.files.out : role === 'department' ? f.lists!.files.department : role === 'city' ? f.lists!.files.city : f.lists!.files.district);

export const STAFF_MATRIX: readonly MatrixRow[] = [
  // ---------------------------------------------------------------- staffDocuments
  { fn: 'staffDocuments', action: 'whoami', allowed: ['community', 'district', 'university', 'department', 'city'], open: true, outOfScope: null, event: () => ({ action: 'whoami' }) },
  {
    fn: 'staffDocuments',
    action: 'listPending',
    allowed: REVIEW,
    outOfScope: { hidden: (r, f) => !idsOf(r.items).includes(f.out.documentId) },
    event: () => ({ action: 'listPending', limit: 50 }),
  },
  { fn: 'staffDocuments', action: 'openDocument', allowed: REVIEW, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'openDocument', documentId: f[s].documentId }) },
  {
    fn: 'staffDocuments',
    action: 'requestResubmission',
    allowed: REVIEW,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'requestResubmission', documentId: f[s].documentId, reason: '照片不清晰请重新拍摄' }),
  },
  { fn: 'staffDocuments', action: 'approve', allowed: REVIEW, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'approve', documentId: f[s].documentId }) },
  {
    fn: 'staffDocuments',
    action: 'approveMany',
    allowed: REVIEW,
    outOfScope: { hidden: (r) => r.approved === 0 && r.results.every((x: any) => !x.ok && x.code === 'OUT_OF_SCOPE') },
    event: (f, s) => ({ action: 'approveMany', documentIds: [f[s].documentId] }),
  },
  // ---------------------------------------------------------------- staffIdentity
  {
    fn: 'staffIdentity',
    action: 'listDisputes',
    allowed: REVIEW,
    outOfScope: { hidden: (r, f) => !idsOf(r.items).includes(f.out.disputeLinkId) },
    event: () => ({ action: 'listDisputes', limit: 50 }),
  },
  {
    fn: 'staffIdentity',
    action: 'resolveDispute',
    allowed: REVIEW,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'resolveDispute', linkId: f[s].disputeLinkId, decision: 'revoke', reason: REASON }),
  },
  { fn: 'staffIdentity', action: 'listAlerts', allowed: REVIEW, outOfScope: null, event: () => ({ action: 'listAlerts', limit: 10 }) },
  { fn: 'staffIdentity', action: 'deskPending', allowed: REVIEW, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'deskPending', idNumber: f[s].elder.idNumber }) },
  { fn: 'staffIdentity', action: 'deskAuthorize', allowed: REVIEW, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'deskAuthorize', linkId: f[s].elder.linkId, reason: '本人到社区签署授权书' }) },
  { fn: 'staffIdentity', action: 'migrateIdentity', allowed: ['city'], outOfScope: null, event: () => ({ action: 'migrateIdentity' }) },
  // ---------------------------------------------------------------- staffCash
  { fn: 'staffCash', action: 'findPerson', allowed: DESK, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'findPerson', name: f[s].name, idNumber: f[s].idNumber }) },
  {
    // Registering a number that already has a record gives it back only in scope (the district names one of its communities).
    fn: 'staffCash',
    action: 'registerPerson',
    allowed: DESK,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s, role) => ({
      action: 'registerPerson',
      name: f[s].name,
      sex: Number(f[s].idNumber[16]) % 2 === 1 ? 'male' : 'female',
      idNumber: f[s].idNumber,
      hukou: 'local',
      address: '合肥市蜀山区三里庵街道安居苑小区',
      mobile: '13900001111',
      answers: { employeeInsured: false, enrolledElsewhere: false },
      ...(role === 'community' ? {} : { communityId: f.in.communityId }),
    }),
  },
  {
    fn: 'staffCash',
    action: 'registerPerson',
    allowed: DESK,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    // A second row: a new person of the side's community (out: a 包河区 community, outside 蜀山区).
    event: (f, s) => ({
      action: 'registerPerson',
      name: s === 'in' ? '赵大娘' : '钱大娘',
      sex: 'female',
      idNumber: f[s].newcomerIdNumber,
      hukou: 'local',
      address: '合肥市蜀山区长江西路100号',
      mobile: '13800001234',
      answers: { employeeInsured: false, enrolledElsewhere: false },
      communityId: f[s].communityId,
    }),
  },
  {
    fn: 'staffCash',
    action: 'recordCash',
    allowed: DESK,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'recordCash', personId: f[s].elder.personId, benefitYear: 2024, amountFen: f[s].elder.amountFen, receiptNo: f[s].newReceiptNo }),
  },
  { fn: 'staffCash', action: 'receipt', allowed: ['community', 'district', 'city'], outOfScope: { refused: ['RECEIPT_NOT_FOUND'] }, event: (f, s) => ({ action: 'receipt', receiptNo: f[s].receiptNo }) },
  {
    fn: 'staffCash',
    action: 'summary',
    allowed: ['community', 'district', 'city'],
    outOfScope: { hidden: (r, f) => !r.communities.some((c: any) => c.communityId === f.out.communityId) },
    event: () => ({ action: 'summary' }),
  },
  {
    fn: 'staffCash',
    action: 'listUnremitted',
    allowed: ['community', 'district', 'city'],
    outOfScope: { hidden: (r, f) => !idsOf(r.items).includes(f.out.receiptNo) },
    event: () => ({ action: 'listUnremitted', limit: 100 }),
  },
  { fn: 'staffCash', action: 'reverseCash', allowed: ['district'], outOfScope: { refused: ['RECEIPT_NOT_FOUND'] }, event: (f, s) => ({ action: 'reverseCash', receiptNo: f[s].receiptNo, reason: '误收现金需要冲正' }) },
  {
    fn: 'staffCash',
    action: 'recordRemittance',
    allowed: DESK,
    outOfScope: { refused: ['RECEIPT_NOT_FOUND'] },
    event: (f, s) => ({ action: 'recordRemittance', voucherNo: `PZ${s === 'in' ? 1 : 2}0231008`, receiptNos: [f[s].receiptNo] }),
  },
  // ---------------------------------------------------------------- staffAdmin
  { fn: 'staffAdmin', action: 'bootstrap', allowed: ['community', 'district', 'university', 'department', 'city'], open: true, outOfScope: null, event: () => ({ action: 'bootstrap', code: 'not-the-secret-0123456789', name: '王主任' }) },
  { fn: 'staffAdmin', action: 'bindInvitation', allowed: ['community', 'district', 'university', 'department', 'city'], open: true, outOfScope: null, event: () => ({ action: 'bindInvitation', code: 'ABCD-EFGH-JKLM' }) },
  { fn: 'staffAdmin', action: 'listOrganisations', allowed: MANAGERS, outOfScope: null, event: () => ({ action: 'listOrganisations' }) },
  {
    fn: 'staffAdmin',
    action: 'createOrganisation',
    allowed: MANAGERS,
    outOfScope: null,
    event: (_f, s, role) => (role === 'city' ? { action: 'createOrganisation', kind: 'department', name: s === 'in' ? '市卫健委' : '市教育局' } : { action: 'createOrganisation', kind: 'community', name: `矩阵${s === 'in' ? '甲' : '乙'}社区`, township: '矩阵街道' }),
  },
  {
    fn: 'staffAdmin',
    action: 'createAccount',
    allowed: MANAGERS,
    outOfScope: { refused: ['ORG_NOT_MANAGED'] },
    event: (f, s, role) => ({ action: 'createAccount', orgId: role === 'city' ? f.orgs.cityIn : s === 'in' ? f.orgs.districtIn : f.orgs.districtOut, name: '测试员' }),
  },
  {
    fn: 'staffAdmin',
    action: 'listAccounts',
    allowed: MANAGERS,
    outOfScope: { hidden: (r, f) => !idsOf(r.items).includes(f.accounts.districtOut) },
    event: () => ({ action: 'listAccounts' }),
  },
  {
    fn: 'staffAdmin',
    action: 'reissueInvitation',
    allowed: MANAGERS,
    outOfScope: { refused: ['ACCOUNT_NOT_FOUND'] },
    event: (f, s, role) => ({ action: 'reissueInvitation', staffId: role === 'city' ? f.accounts.cityIn : s === 'in' ? f.accounts.districtIn : f.accounts.districtOut }),
  },
  {
    fn: 'staffAdmin',
    action: 'disableAccount',
    allowed: MANAGERS,
    outOfScope: { refused: ['ACCOUNT_NOT_FOUND'] },
    event: (f, s, role) => ({ action: 'disableAccount', staffId: role === 'city' ? f.accounts.cityIn : s === 'in' ? f.accounts.districtIn : f.accounts.districtOut, reason: '人员调动' }),
  },
  {
    fn: 'staffAdmin',
    action: 'setPersonCommunity',
    allowed: ['community', 'district', 'city'],
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'setPersonCommunity', personId: f[s].personId, communityId: f[s].communityId, reason: '核对社区信息' }),
  },
  { fn: 'staffAdmin', action: 'staffHome', allowed: ['community', 'district', 'university', 'department', 'city'], outOfScope: null, event: () => ({ action: 'staffHome' }) },
  {
    fn: 'staffAdmin',
    action: 'auditLog',
    allowed: MANAGERS,
    outOfScope: { hidden: (r) => r.items.length === 0 },
    event: (f, s) => ({ action: 'auditLog', idNumber: f[s].idNumber, limit: 20 }),
  },
  // ---------------------------------------------------------------- staffPayments (issue 14: district and city refund WeChat Pay payments of their scope)
  { fn: 'staffPayments', action: 'findPayment', allowed: MANAGERS, outOfScope: { refused: ['PAYMENT_NOT_FOUND'] }, event: (f, s) => ({ action: 'findPayment', outTradeNo: f[s].online.outTradeNo }) },
  {
    // Asked again by the city after the district: the same refund (idempotent), so both in-scope calls succeed.
    fn: 'staffPayments',
    action: 'refundPayment',
    allowed: MANAGERS,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'refundPayment', outTradeNo: f[s].online.outTradeNo, personId: f[s].online.personId, benefitYear: 2024, reasonCode: 'wrong_person', note: '为他人误缴，核实后退款' }),
  },
  {
    // After refundPayment: the city refunded the out side's payment, which 蜀山区 must not see.
    fn: 'staffPayments',
    action: 'listRefunds',
    allowed: MANAGERS,
    outOfScope: { hidden: (r, f) => !r.items.some((i: any) => i.personId === f.out.online.personId) },
    event: () => ({ action: 'listRefunds', status: 'all', limit: 100 }),
  },
  // ---------------------------------------------------------------- staffPolicy (issue 13: the city centre only, no person involved)
  { fn: 'staffPolicy', action: 'list', allowed: ['city'], outOfScope: null, event: () => ({ action: 'list' }) },
  { fn: 'staffPolicy', action: 'get', allowed: ['city'], outOfScope: null, event: () => ({ action: 'get', id: '2030-v1' }) },
  { fn: 'staffPolicy', action: 'template', allowed: ['city'], outOfScope: null, event: () => ({ action: 'template', benefitYear: 2030 }) },
  { fn: 'staffPolicy', action: 'saveDraft', allowed: ['city'], outOfScope: null, event: () => ({ action: 'saveDraft', table: { benefitYear: 2030 }, fictional: true }) },
  { fn: 'staffPolicy', action: 'editPublished', allowed: ['city'], outOfScope: null, event: () => ({ action: 'editPublished', id: '2030-v1', table: { benefitYear: 2030 }, reason: '核对后修改' }) },
  { fn: 'staffPolicy', action: 'preview', allowed: ['city'], outOfScope: null, event: () => ({ action: 'preview', table: { benefitYear: 2030 } }) },
  { fn: 'staffPolicy', action: 'publish', allowed: ['city'], outOfScope: null, event: () => ({ action: 'publish', id: '2030-v1', effectiveFrom: '2030-01-01' }) },
  { fn: 'staffPolicy', action: 'discardDraft', allowed: ['city'], outOfScope: null, event: () => ({ action: 'discardDraft', id: '2030-v1' }) },
  // ---------------------------------------------------------------- staffInsurance (issue 12: the exchange with 医保信息平台)
  // The sides' 2024 enrollments (their cash) are refused by the platform (R01) in the fixture.
  {
    fn: 'staffInsurance',
    action: 'listRefused',
    allowed: REVIEW,
    outOfScope: { hidden: (r, f) => !r.items.some((i: any) => i.personId === f.out.personId) },
    event: () => ({ action: 'listRefused', limit: 100 }),
  },
  {
    fn: 'staffInsurance',
    action: 'resubmit',
    allowed: REVIEW,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'resubmit', enrollmentId: `${f[s].personId}_2024`, note: '已核对身份证信息' }),
  },
  { fn: 'staffInsurance', action: 'overview', allowed: ['city'], outOfScope: null, event: () => ({ action: 'overview' }) },
  { fn: 'staffInsurance', action: 'startExport', allowed: ['city'], outOfScope: null, event: () => ({ action: 'startExport' }) },
  { fn: 'staffInsurance', action: 'fetchAnswers', allowed: ['city'], outOfScope: null, event: () => ({ action: 'fetchAnswers' }) },
  // The export the city started above (the matrix's clock: 2023-10-08, batch YB2023100801).
  { fn: 'staffInsurance', action: 'job', allowed: ['city'], outOfScope: null, event: () => ({ action: 'job', jobId: jobIdOf('insurance_export', 'YB2023100801') }) },
  // ---------------------------------------------------------------- staffRoster (issue 12: a university/school its own roster, a district its schools', the city every roster)
  { fn: 'staffRoster', action: 'uploadTicket', allowed: ['university'], outOfScope: null, event: () => ({ action: 'uploadTicket', ext: 'csv' }) },
  { fn: 'staffRoster', action: 'importRoster', allowed: ['university'], outOfScope: null, event: (f) => ({ action: 'importRoster', benefitYear: 2024, fileID: f.roster!.fileID, fileName: 'hfut-2024.xlsx' }) },
  {
    fn: 'staffRoster',
    action: 'importStatus',
    allowed: ROSTER_READERS,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s, role) => ({ action: 'importStatus', jobId: s === 'out' ? f.roster!.outJob : role === 'district' ? f.roster!.schoolJob : f.roster!.inJob }),
  },
  { fn: 'staffRoster', action: 'listImports', allowed: ROSTER_READERS, outOfScope: { hidden: (r, f) => !r.items.some((j: any) => j.jobId === f.roster!.outJob) }, event: () => ({ action: 'listImports' }) },
  { fn: 'staffRoster', action: 'progress', allowed: ROSTER_READERS, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s, role) => ({ action: 'progress', benefitYear: 2024, orgId: rosterOrg(f, s, role) }) },
  { fn: 'staffRoster', action: 'listEntries', allowed: ROSTER_READERS, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s, role) => ({ action: 'listEntries', benefitYear: 2024, orgId: rosterOrg(f, s, role) }) },
  {
    // Another university's student is not on the caller's roster: refused per student, nothing paid.
    fn: 'staffRoster',
    action: 'recordCollection',
    allowed: ['university'],
    outOfScope: { hidden: (r) => r.count === 0 && r.results[0]?.code === 'NOT_ON_ROSTER' },
    event: (f, s) => ({ action: 'recordCollection', benefitYear: 2024, batchNo: `MX-${s.toUpperCase()}-01`, collectedOn: '2023-09-15', entryIds: [s === 'in' ? f.roster!.inEntry : f.roster!.outEntry] }),
  },
  { fn: 'staffRoster', action: 'listBatches', allowed: ['university'], outOfScope: null, event: () => ({ action: 'listBatches', benefitYear: 2024 }) },
  // ---------------------------------------------------------------- staffLists (issue 12: assisted-people lists; districts, departments and the city import, communities work the mobilization list)
  { fn: 'staffLists', action: 'uploadTicket', allowed: LIST_IMPORTERS, outOfScope: null, event: () => ({ action: 'uploadTicket', ext: 'csv' }) },
  {
    // A file in another office's folder is never read (FILE_NOT_FOUND, as for a missing upload).
    fn: 'staffLists',
    action: 'startImport',
    allowed: LIST_IMPORTERS,
    outOfScope: { refused: ['FILE_NOT_FOUND'] },
    event: (f, s, role) => ({ action: 'startImport', fileID: listFile(f, s, role), fileName: 'matrix.csv', benefitYear: 2024 }),
  },
  { fn: 'staffLists', action: 'jobStatus', allowed: LIST_READERS, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s, role) => ({ action: 'jobStatus', jobId: listJob(f, s, role) }) },
  { fn: 'staffLists', action: 'listImports', allowed: LIST_IMPORTERS, outOfScope: { hidden: (r, f) => !r.imports.some((j: any) => j.jobId === f.lists!.outJob) }, event: () => ({ action: 'listImports' }) },
  {
    fn: 'staffLists',
    action: 'mobilization',
    allowed: LIST_READERS,
    outOfScope: { hidden: (r, f) => !r.items.some((i: any) => i.entryId === f.lists!.outEntry) },
    event: () => ({ action: 'mobilization', benefitYear: 2024, limit: 50 }),
  },
  { fn: 'staffLists', action: 'exportMobilization', allowed: LIST_READERS, outOfScope: null, event: () => ({ action: 'exportMobilization', benefitYear: 2024, format: 'csv' }) },
  {
    fn: 'staffLists',
    action: 'markWorked',
    allowed: ['community', 'district'],
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'markWorked', benefitYear: 2024, entryIds: [s === 'in' ? f.lists!.inEntry : f.lists!.outEntry], note: '已上门告知' }),
  },
  {
    fn: 'staffLists',
    action: 'reconciliation',
    allowed: LIST_READERS,
    outOfScope: { hidden: (r, f) => !r.items.some((i: any) => i.entryId === f.lists!.outReconciliation) },
    event: () => ({ action: 'reconciliation', benefitYear: 2024, limit: 50 }),
  },
  {
    // Money goes back only by districts and the city; 包河区's entry is not 蜀山区's to settle.
    fn: 'staffLists',
    action: 'settleReconciliation',
    allowed: MANAGERS,
    outOfScope: { refused: ['OUT_OF_SCOPE'] },
    event: (f, s) => ({ action: 'settleReconciliation', benefitYear: 2024, entryId: s === 'in' ? f.lists!.inReconciliation : f.lists!.outReconciliation, way: 'cash_returned', note: '差额已在社区窗口退还现金' }),
  },
  // ---------------------------------------------------------------- staffSeason (issue 13)
  { fn: 'staffSeason', action: 'progress', allowed: ['city', 'district'], outOfScope: null, event: () => ({ action: 'progress', benefitYear: 2024 }) },
  { fn: 'staffSeason', action: 'progressExport', allowed: ['city', 'district'], outOfScope: null, event: () => ({ action: 'progressExport', benefitYear: 2024 }) },
  { fn: 'staffSeason', action: 'screeningSummary', allowed: SCREENERS, outOfScope: { hidden: (r) => !r.groups.some((g: any) => g.name === '望湖社区' || g.name === '包河区') }, event: () => ({ action: 'screeningSummary', benefitYear: 2024 }) },
  { fn: 'staffSeason', action: 'screeningList', allowed: SCREENERS, outOfScope: { hidden: (r, f) => !r.items.some((e: any) => e.entryId === f.season!.entryOut) }, event: () => ({ action: 'screeningList', benefitYear: 2024, limit: 50 }) },
  { fn: 'staffSeason', action: 'screeningVisit', allowed: SCREENERS, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'screeningVisit', entryId: s === 'in' ? f.season!.entryIn : f.season!.entryOut, outcome: 'will_pay' }) },
  { fn: 'staffSeason', action: 'screeningRemind', allowed: SCREENERS, outOfScope: { refused: ['OUT_OF_SCOPE'] }, event: (f, s) => ({ action: 'screeningRemind', benefitYear: 2024, entryIds: [s === 'in' ? f.season!.entryIn : f.season!.entryOut] }) },
  { fn: 'staffSeason', action: 'screeningExport', allowed: SCREENERS, outOfScope: null, event: () => ({ action: 'screeningExport', benefitYear: 2024, format: 'csv' }) },
  { fn: 'staffSeason', action: 'progressRecount', allowed: ['city'], outOfScope: null, event: () => ({ action: 'progressRecount', benefitYear: 2024 }) },
  { fn: 'staffSeason', action: 'progressRecountJob', allowed: ['city'], outOfScope: null, event: (f) => ({ action: 'progressRecountJob', jobId: f.season!.recountJob }) },
  { fn: 'staffSeason', action: 'registerUploadTicket', allowed: ['city'], outOfScope: null, event: () => ({ action: 'registerUploadTicket', ext: 'csv' }) },
  { fn: 'staffSeason', action: 'registerImport', allowed: ['city'], outOfScope: null, event: (f) => ({ action: 'registerImport', fileID: f.season!.fileID }) },
  { fn: 'staffSeason', action: 'registerImportJob', allowed: ['city'], outOfScope: null, event: (f) => ({ action: 'registerImportJob', jobId: f.season!.importJob }) },
  // Last: a new run (a minute later) sweeps the fixture's entries off the list.
  { fn: 'staffSeason', action: 'screeningRunJob', allowed: ['city'], outOfScope: null, event: (f) => ({ action: 'screeningRunJob', jobId: f.season!.runJob }) },
  { fn: 'staffSeason', action: 'screeningRun', allowed: ['city'], outOfScope: null, event: () => ({ action: 'screeningRun', benefitYear: 2024 }) },
];
