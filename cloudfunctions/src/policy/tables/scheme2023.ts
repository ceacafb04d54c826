/**
 * 合肥市2023年城乡居民参加基本医疗保险工作方案 (合医保发〔2023〕12号, issued 2023-08-30) —
 * benefit year 2024. Source: /work/shared/seeds/001_a8b5d3e3ee9f7f90.txt (the Chinese text wins).
 */
import type { PolicyTable } from '../types';

const ASSIST = '三、筹资标准（二）';

export const scheme2023: PolicyTable = {
  scheme: '2023',
  benefitYear: 2024,
  document: {
    title: '《合肥市2023年城乡居民参加基本医疗保险工作方案》',
    docNumber: '合医保发〔2023〕12号',
    issuer: '合肥市医疗保障局 国家税务总局合肥市税务局 合肥市教育局 合肥市财政局 合肥市乡村振兴局 合肥市民政局 合肥市卫生健康委员会',
    issuedOn: '2023-08-30',
  },

  // 四: "集中参保缴费时间为：2023年9月1日至12月31日。"
  collectionWindow: { start: '2023-09-01', end: '2023-12-31', clause: '四、集中参保期和待遇享受期' },
  // 四: "待遇享受期自2024年1月1日至12月31日。"
  benefitPeriod: { start: '2024-01-01', end: '2024-12-31', clause: '四、集中参保期和待遇享受期', interpreted: false },

  // 四: "延长参保期按国家和省有关规定执行" — [interpretation] configurable, off until dates are set.
  extendedCollection: { enabled: false, start: null, end: null, clause: '四、集中参保期和待遇享受期' },
  // 四: "符合补缴政策的补缴人员待遇享受期按相关规定执行" — [interpretation] configurable, off.
  latePayment: { enabled: false, clause: '四、集中参保期和待遇享受期' },

  // 三（一）: "2023年居民个人缴费标准为每人380元。财政补助标准按国家、省、市相关规定执行。"
  // The total and the subsidy are not stated: null (reported as unknown, never invented).
  financing: {
    clause: '三、筹资标准（一）',
    totalPerPersonFen: null,
    governmentSubsidyFen: null,
    individualContributionFen: 38000,
  },

  // 三（二）: "特困人员（含社会散居孤儿、事实无人抚养儿童，下同）给予全额资助；低保对象、低保边缘家庭
  // 老年人、计划生育特殊家庭父母给予90%定额资助；返贫致贫人口给予80%定额资助；防止返贫监测对象给予
  // 50%定额资助。"
  assistance: {
    clause: ASSIST,
    combination: 'most_favourable_single',
    rounding: 'assistance_ceil_fen',
    rules: {
      tekun: { percent: 100, label: '特困人员', clause: ASSIST },
      orphan: { percent: 100, label: '社会散居孤儿（属特困人员）', clause: ASSIST },
      unsupported_child: { percent: 100, label: '事实无人抚养儿童（属特困人员）', clause: ASSIST },
      dibao: { percent: 90, label: '低保对象', clause: ASSIST },
      dibao_edge_elderly: { percent: 90, label: '低保边缘家庭老年人', clause: ASSIST },
      family_planning_parent: { percent: 90, label: '计划生育特殊家庭父母', clause: ASSIST },
      fanpin: { percent: 80, label: '返贫致贫人口', clause: ASSIST },
      fanpin_monitored: { percent: 50, label: '防止返贫监测对象', clause: ASSIST },
      // low_income_elderly, unstable_alleviated, rural_low_income_monitored, stable_alleviated:
      // not named in 三（二） of 2023 → no assistance (the departments still send some of these
      // lists under 六、职责分工, but no rate is given).
    },
    explicitlyNone: {},
  },

  eligibility: {
    // Document order of 二、参保对象 (2023), then the "可以参加" paragraph.
    clauses: [
      { basis: 'local_hukou', clause: '二、参保对象（一）', text: '本市户籍城乡居民', mandatory: true },
      { basis: 'student', clause: '二、参保对象（二）', text: '各类在校学生', mandatory: true },
      {
        basis: 'residence_permit',
        clause: '二、参保对象（三）',
        text: '非本市户籍，持有本市居住证的人员及其未成年子女',
        mandatory: true,
      },
      {
        basis: 'residence_permit_child',
        clause: '二、参保对象（三）',
        text: '非本市户籍，持有本市居住证的人员及其未成年子女',
        mandatory: true,
      },
      {
        basis: 'child_of_local_insured_worker',
        clause: '二、参保对象（四）',
        text: '非本市户籍，随在本市就业参保人员共同生活的未成年子女',
        mandatory: true,
      },
      {
        basis: 'foreign_expert_family',
        clause: '二、参保对象（第二段）',
        text: '在本市工作的外籍专家共同生活的配偶及未成年子女',
        mandatory: false,
      },
      {
        basis: 'foreign_resident',
        clause: '二、参保对象（第二段）',
        text: '获得我国居留许可证在本市居住未就业的外国人',
        mandatory: false,
      },
    ],
    exclusionClause: '二、参保对象',
    exclusionText: '已参加职工医保或在外市参加下年度居民医保的，不得重复参保',
    residencePermitRequiresNotInsuredAtOrigin: false,
    residencePermitChildChecksOwnOriginInsurance: false,
    residencePermitRequiresNonlocalHukou: true,
    workerChildRequiresNonlocalHukou: true,
    foreignResidentClause: true,
    foreignersOnlyUnderForeignClauses: true,
    minorAgeLimit: 18,
    // 二（五）"国家和省规定的其他应当参加居民医保的人员": configurable, empty by default.
    otherCategories: [],
  },

  newbornRule: {
    clause: '五、参保办法（二）',
    text: '新生儿可参加当年度及下一年度城乡居民医保，新生儿父母办理参保时应明确新生儿参保年度',
    birthYearEnrollmentThrough: 'end_of_birth_year',
    benefitStartsAtBirth: true,
    fullContribution: true,
  },

  keyDates: {
    preparationBy: '2023-08-31', // 七（一）
    assistanceListsBy: '2023-08-25', // 五（五）"8月25日前"
    assistanceAdditionsBy: '2023-12-25', // 五（五）"应在12月25日前及时导入"
    assistanceFundTransferBy: '2023-12-31', // 五（五）
    monthlyListChangesBeforeDay: 5, // 五（五）"每月5日前"
    screening: {
      // 七（三）"排查阶段（11月中旬至12月31日）" — [interpretation] 中旬 is days 11–20 of a month;
      // we open the screening on its first day, 11-11 (the inclusive reading) — change here if the
      // city fixes a day.
      start: '2023-11-11',
      end: '2023-12-31',
      startAsWritten: '11月中旬',
      startInterpreted: true,
      compareWithPreviousYears: 2, // "与前两个年度参保信息及户籍人口对比"
      compareWithHukouPopulation: true,
      focus: ['60岁以上人员', '各类学生'],
    },
    monthlyReportByDay: null,
    progressTableFrom: '2023-10', // 八（二）"从10月份起…填报…参保进度统计表（附件2）"
    university: {
      clause: '五、参保办法（四）高校大学生',
      notice: '《关于做好大学生参加2024年度城乡居民基本医疗保险工作的通知》（合医保发〔2023〕10号）',
      registrationBy: null, // deferred to 合医保发〔2023〕10号, not in this scheme
      treasuryPaymentBy: null,
      newStudentBenefitStart: null,
    },
    // Cash is allowed (五（一）) but no remittance rule is stated in 2023: null, not carried over.
    cashRemittance: null,
    paymentVisibleAfterWorkingDays: 2, // 五（二）"医保系统缴费到账记录可在两个工作日后查询"
  },

  paymentChannels: [
    '“合肥医保”微信公众号',
    '安徽医保公共服务平台',
    '皖事通APP',
    '“安徽税务社保缴费”微信小程序',
    '支付宝',
    '户籍或居住地社区（村）居委会',
    '办税服务厅',
    '现金缴费（线上缴费困难的老年群体）',
  ],

  // 附件1 参保工作联系方式
  cityContacts: [
    { name: '市医疗保障局医药管理和待遇保障处', phone: '63531019' },
    { name: '市医疗保障基金征缴和权益管理中心', phone: '63535411' },
    { name: '市税务局社会保险费和非税收入科', phone: '63532732' },
    { name: '纳税服务热线', phone: '12366' },
  ],
  districtContacts: [
    { district: '肥东县', medicalInsurancePhone: '62529900', taxPhone: '67700296' },
    { district: '肥西县', medicalInsurancePhone: '68850991', taxPhone: '68850240' },
    { district: '长丰县', medicalInsurancePhone: '66660325', taxPhone: '64241140' },
    { district: '庐江县', medicalInsurancePhone: '82556668', taxPhone: '87381613' },
    { district: '巢湖市', medicalInsurancePhone: '82280596', taxPhone: '82367565' },
    // As printed: 瑶海区's tax number equals 长丰县's (64241140). Kept verbatim; not corrected.
    { district: '瑶海区', medicalInsurancePhone: '64490236', taxPhone: '64241140' },
    { district: '庐阳区', medicalInsurancePhone: '65699667', taxPhone: '65900114' },
    { district: '蜀山区', medicalInsurancePhone: '65125930', taxPhone: '65166183' },
    { district: '包河区', medicalInsurancePhone: '63358701', taxPhone: '63357942' },
    { district: '高新区', medicalInsurancePhone: '65393193', taxPhone: '62522535' },
    { district: '经开区', medicalInsurancePhone: '65505631', taxPhone: '63869767' },
    { district: '新站高新区', medicalInsurancePhone: '65777390', taxPhone: '62653186' },
  ],

  // 附件2 2023年各县（市）区、开发区参保进度统计表 (单位：万人); the 2023 columns are to be filled.
  // Verbatim: the population columns add up to 全市合计, but the "2022年居民参保人数" rows add up
  // to 549.17, not the printed 551.15 (a 1.98万 gap in the source). Consumers that need a total
  // should sum the rows they show, and show the printed total as printed.
  progressReference: [
    { area: '肥东县', residentPopulationWan: 90.2, hukouPopulationWan: 108.59, enrolled2022Wan: 80.77 },
    { area: '肥西县', residentPopulationWan: 98.8, hukouPopulationWan: 85.83, enrolled2022Wan: 63.76 },
    { area: '长丰县', residentPopulationWan: 80.0, hukouPopulationWan: 81.47, enrolled2022Wan: 62.94 },
    { area: '巢湖市', residentPopulationWan: 73.0, hukouPopulationWan: 84.95, enrolled2022Wan: 60.4 },
    { area: '庐江县', residentPopulationWan: 89.1, hukouPopulationWan: 119.29, enrolled2022Wan: 91.58 },
    { area: '瑶海区', residentPopulationWan: 87.9, hukouPopulationWan: 50.12, enrolled2022Wan: 22.27 },
    { area: '庐阳区', residentPopulationWan: 72.0, hukouPopulationWan: 54.54, enrolled2022Wan: 21.38 },
    { area: '蜀山区', residentPopulationWan: 107.6, hukouPopulationWan: 69.69, enrolled2022Wan: 28.15 },
    { area: '包河区', residentPopulationWan: 126.5, hukouPopulationWan: 78.14, enrolled2022Wan: 33.33 },
    { area: '高新区', residentPopulationWan: 29.8, hukouPopulationWan: 15.65, enrolled2022Wan: 8.09 },
    { area: '经开区', residentPopulationWan: 58.9, hukouPopulationWan: 29.7, enrolled2022Wan: 17.61 },
    { area: '新站区', residentPopulationWan: 49.6, hukouPopulationWan: 22.18, enrolled2022Wan: 14.99 },
    { area: '大学生', residentPopulationWan: null, hukouPopulationWan: null, enrolled2022Wan: 43.9 },
    { area: '全市合计', residentPopulationWan: 963.4, hukouPopulationWan: 800.16, enrolled2022Wan: 551.15 },
  ],
  coverageTarget: { percent: 95, text: '参保覆盖率巩固在95%以上' },
};
