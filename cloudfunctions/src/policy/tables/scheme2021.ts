/**
 * 合肥市2021年城乡居民参加基本医疗保险工作方案 (issued 2021-08-20) — benefit year 2022.
 * Source: /work/shared/seeds/000_4767c4ef45535866.txt (the Chinese text wins over any digest).
 */
import type { PolicyTable } from '../types';

export const scheme2021: PolicyTable = {
  scheme: '2021',
  benefitYear: 2022,
  document: {
    title: '《合肥市2021年城乡居民参加基本医疗保险工作方案》',
    docNumber: null,
    issuer: '合肥市医疗保障局',
    issuedOn: '2021-08-20',
  },

  // 四、集中参保期: "2021年居民医保集中参保缴费时间为：9月1日至12月31日。"
  collectionWindow: { start: '2021-09-01', end: '2021-12-31', clause: '四、集中参保期' },

  // [interpretation] POLICY.md §1: the 2021 scheme does not state the benefit period; we take the
  // calendar year after collection (2022-01-01 … 2022-12-31), as the 2023 scheme states for its year.
  benefitPeriod: { start: '2022-01-01', end: '2022-12-31', clause: '四、集中参保期', interpreted: true },

  // Not stated in 2021: off.
  extendedCollection: { enabled: false, start: null, end: null, clause: null },
  latePayment: { enabled: false, clause: null },

  // 三、筹资标准: 900 = 580 (government) + 320 (individual), per person.
  financing: {
    clause: '三、筹资标准',
    totalPerPersonFen: 90000,
    governmentSubsidyFen: 58000,
    individualContributionFen: 32000,
  },

  // 五、参保办法（五）资助参保.
  assistance: {
    clause: '五、参保办法（五）资助参保',
    combination: 'most_favourable_single',
    rounding: 'assistance_ceil_fen',
    rules: {
      tekun: { percent: 100, label: '特困供养人员', clause: '五、参保办法（五）' },
      orphan: { percent: 100, label: '社会散居孤儿', clause: '五、参保办法（五）' },
      family_planning_parent: { percent: 100, label: '计划生育特殊家庭父母', clause: '五、参保办法（五）' },
      dibao: { percent: 90, label: '低保对象', clause: '五、参保办法（五）' },
      low_income_elderly: { percent: 90, label: '低收入家庭老年人', clause: '五、参保办法（五）' },
      fanpin: { percent: 80, label: '返贫致贫人口', clause: '五、参保办法（五）' },
      unstable_alleviated: { percent: 50, label: '脱贫不稳定人口', clause: '五、参保办法（五）' },
      rural_low_income_monitored: {
        percent: 50,
        label: '纳入农村低收入人口监测范围的人口',
        clause: '五、参保办法（五）',
      },
      // unsupported_child, dibao_edge_elderly, fanpin_monitored: not in the 2021 scheme → no assistance.
    },
    explicitlyNone: {
      stable_alleviated: {
        label: '未纳入农村低收入人口监测范围的稳定脱贫人口',
        text: '未纳入农村低收入人口监测范围的稳定脱贫人口不再享受医疗救助资助参保政策',
      },
    },
  },

  eligibility: {
    // Document order of 二、参保对象 (2021).
    clauses: [
      { basis: 'local_hukou', clause: '二、参保对象（一）', text: '本市户籍城乡居民', mandatory: true },
      {
        basis: 'child_of_local_insured_worker',
        clause: '二、参保对象（二）',
        text: '随在本市就业参保人员共同生活的未成年子女',
        mandatory: true,
      },
      {
        basis: 'residence_permit',
        clause: '二、参保对象（三）',
        text: '持有本市居住证，在原籍未参加基本医疗保险的人员及其未成年子女',
        mandatory: true,
      },
      {
        basis: 'residence_permit_child',
        clause: '二、参保对象（三）',
        text: '持有本市居住证，在原籍未参加基本医疗保险的人员及其未成年子女',
        mandatory: true,
      },
      { basis: 'student', clause: '二、参保对象（四）', text: '各类在校学生', mandatory: true },
      {
        basis: 'foreign_expert_family',
        clause: '二、参保对象（五）',
        text: '随在本市工作的外籍专家共同生活的配偶及未成年子女',
        mandatory: true,
      },
    ],
    exclusionClause: '二、参保对象',
    exclusionText: '已在外市参加下一年度居民医保或已参加职工医保的参保人员，原则上不允许重复参保',
    residencePermitRequiresNotInsuredAtOrigin: true,
    residencePermitChildChecksOwnOriginInsurance: true,
    residencePermitRequiresNonlocalHukou: false,
    workerChildRequiresNonlocalHukou: false,
    foreignResidentClause: false,
    foreignersOnlyUnderForeignClauses: true,
    minorAgeLimit: 18,
    otherCategories: [],
  },

  // [interpretation] The 2021 scheme (五)(二) only names the channels for newborns ("本地户籍新生儿
  // 参保可通过…微信公众号…非本地户籍新生儿在居住地社区…"); it states no enrollment outside the
  // centralized window. We choose: no newborn rule — a child enrolls for benefit year 2022 within
  // 2021-09-01 … 2021-12-31 like everyone else; a child born in 2022 is not quoted for 2022.
  newbornRule: null,

  keyDates: {
    preparationBy: '2021-08-31', // 六（一）
    assistanceListsBy: '2021-08-31', // 五（五）"8月31日前…8月份在册人员名单"
    assistanceAdditionsBy: '2021-12-31', // 五（五）"在12月31日前由相关部门提供名单"
    assistanceFundTransferBy: '2021-12-31', // 五（五）
    monthlyListChangesBeforeDay: 5, // 五（五）"每月5日前"
    screening: {
      start: '2021-12-10', // 六（三）
      end: '2021-12-31',
      startAsWritten: '12月10日',
      startInterpreted: false,
      compareWithPreviousYears: 1, // "与上年度参保信息比对"
      compareWithHukouPopulation: false,
      focus: [],
    },
    monthlyReportByDay: 20, // 七（四）"每月20日前"
    progressTableFrom: null,
    university: {
      clause: '五、参保办法（四）高校大学生',
      notice: '《关于做好2021年大学生参加城乡居民基本医疗保险工作的通知》（合医保发〔2021〕10号）',
      registrationBy: '2021-09-30', // "9月30日前（因疫情影响可延期）完成集中参保登记"
      treasuryPaymentBy: '2021-10-31', // "10月31日前前往税务部门办理缴入国库手续"
      newStudentBenefitStart: 'collection_or_payment_date',
    },
    // 五（一）"社区（村）居委会收取的现金应于30天内或金额达到20万元时…汇缴入库"
    cashRemittance: { clause: '五、参保办法（一）', withinDays: 30, orWhenReachesFen: 20_000_000 },
    paymentVisibleAfterWorkingDays: null,
  },

  paymentChannels: ['“合肥医保”微信公众号', '户籍或居住地社区（村）居委会扫码缴费', '社区（村）居委会现金缴费（老年群体）'],

  cityContacts: [
    { name: '市医疗保障局医药管理和待遇保障处', phone: '63531019' },
    { name: '市医保服务热线', phone: '63536000' },
    { name: '市税务局社会保险费和非税收入科', phone: '63532732' },
    { name: '纳税服务热线', phone: '12366' },
  ],
  districtContacts: [],
  progressReference: [],
  coverageTarget: { percent: 99, text: '参保率不低于99%' },
};
