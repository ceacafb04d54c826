/**
 * The shape of one benefit year's policy (a "policy table"). A new year is a new table, not new
 * code: everything the engine decides comes from these fields. Fields marked [interpretation]
 * are readings this project adopts where the scheme text is silent (POLICY.md); each carries a
 * comment citing the section it interprets.
 */

/** Assistance (资助参保) category codes accepted in the input. */
export const ASSISTANCE_CODES = [
  'tekun', // 特困人员 / 特困供养人员
  'orphan', // 社会散居孤儿
  'unsupported_child', // 事实无人抚养儿童
  'family_planning_parent', // 计划生育特殊家庭父母
  'dibao', // 低保对象
  'low_income_elderly', // 低收入家庭老年人
  'dibao_edge_elderly', // 低保边缘家庭老年人
  'fanpin', // 返贫致贫人口
  'unstable_alleviated', // 脱贫不稳定人口
  'rural_low_income_monitored', // 纳入农村低收入人口监测范围的人口
  'fanpin_monitored', // 防止返贫监测对象
  'stable_alleviated', // 稳定脱贫人口 (not in monitoring)
] as const;
export type AssistanceCode = (typeof ASSISTANCE_CODES)[number];

/** Enrollment clauses (参保对象) the engine can report as `basis`. */
export const BASIS_CODES = [
  'local_hukou',
  'student',
  'residence_permit',
  'residence_permit_child',
  'child_of_local_insured_worker',
  'foreign_expert_family',
  'foreign_resident',
] as const;
export type BasisCode = (typeof BASIS_CODES)[number];

export interface DateRange {
  /** 'YYYY-MM-DD', Asia/Shanghai calendar date, inclusive. */
  start: string;
  /** 'YYYY-MM-DD', inclusive: "until 12-31" means through 23:59:59 CST that day. */
  end: string;
}

export interface SourceDocument {
  /** Full title as cited to residents, with the 《》 brackets. */
  title: string;
  /** 文号, when the document has one. */
  docNumber: string | null;
  issuer: string;
  issuedOn: string;
}

export interface AssistanceRule {
  /** Share of the individual contribution paid by the medical-assistance fund, 0..100. */
  percent: number;
  /** Chinese name as written in the scheme. */
  label: string;
  /** Where the scheme states it, e.g. "三、筹资标准（二）". */
  clause: string;
}

export interface EligibilityClause {
  basis: BasisCode;
  /** e.g. "二、参保对象（三）" — cited in explanations. */
  clause: string;
  /** The clause text, as written in the scheme. */
  text: string;
  /** "应当参加" (must) or "可以参加" (may). */
  mandatory: boolean;
}

export interface DistrictContact {
  district: string;
  medicalInsurancePhone: string;
  taxPhone: string;
}

export interface ProgressReferenceRow {
  /** 统筹区 as written in attachment 2 (district, development zone, 大学生 or 全市合计). */
  area: string;
  /** 常住人口, in 万人 (10,000 people), as printed; null where the cell is blank. */
  residentPopulationWan: number | null;
  /** 户籍人口, in 万人; null where blank. */
  hukouPopulationWan: number | null;
  /** 2022年居民参保人数, in 万人. */
  enrolled2022Wan: number | null;
}

export interface PolicyTable {
  /** Scheme (方案) year: the year the collection runs in ('2021', '2023'; a later year's table names its own). */
  scheme: string;
  /** The year whose medical benefits the contribution buys. */
  benefitYear: number;
  document: SourceDocument;

  /** 集中参保缴费期 (四). */
  collectionWindow: DateRange & { clause: string };

  /** 待遇享受期. */
  benefitPeriod: DateRange & {
    clause: string;
    /** True when the period is not stated by the scheme and is our [interpretation]. */
    interpreted: boolean;
  };

  /**
   * 延长参保期: configurable, OFF unless a window is set. Open only when `enabled` and the date
   * falls inside [start, end]. [interpretation] POLICY.md §1.
   */
  extendedCollection: { enabled: boolean; start: string | null; end: string | null; clause: string | null };

  /**
   * 补缴 (late payment): the scheme defers to "相关规定"; configurable, OFF. While off the engine
   * never quotes a late payment. [interpretation] POLICY.md §1.
   */
  latePayment: { enabled: boolean; clause: string | null };

  /** 筹资标准 (三), in fen. */
  financing: {
    clause: string;
    /** 筹资标准 per person; null when the scheme does not state it. */
    totalPerPersonFen: number | null;
    /** 各级政府财政补助 per person; null = not stated ("按国家、省、市相关规定执行"): never invented. */
    governmentSubsidyFen: number | null;
    /** 居民个人缴费标准. */
    individualContributionFen: number;
  };

  /** Assisted enrollment (资助参保). A code absent from the map gives no assistance that year. */
  assistance: {
    clause: string;
    /**
     * [interpretation] POLICY.md §3: a person on several lists gets the single most favourable
     * rate; rates never stack and never exceed 100%. Ties go to the category listed first.
     */
    combination: 'most_favourable_single';
    /**
     * [interpretation] POLICY.md §3: assistance in fen = contribution × percent / 100, rounded UP
     * to the whole fen (so the resident's share is rounded down, in the resident's favour); the
     * amount payable = contribution − assistance. All rates of both years are exact in fen.
     */
    rounding: 'assistance_ceil_fen';
    rules: Partial<Record<AssistanceCode, AssistanceRule>>;
    /**
     * Codes the scheme names explicitly as getting NO assistance (2021: 未纳入农村低收入人口
     * 监测范围的稳定脱贫人口不再享受医疗救助资助参保政策). Reported with their own sentence.
     */
    explicitlyNone: Partial<Record<AssistanceCode, { label: string; text: string }>>;
  };

  /** 参保对象 (二): the clauses in the document's order; the first that matches is the basis. */
  eligibility: {
    clauses: EligibilityClause[];
    /** The exclusion paragraph (employee insurance, enrolled in another city). */
    exclusionClause: string;
    exclusionText: string;
    /**
     * 2021 (二)(三): a residence-permit holder qualifies only if NOT insured in the place of
     * origin ("在原籍未参加基本医疗保险"). 2023 (二)(三) drops the condition.
     */
    residencePermitRequiresNotInsuredAtOrigin: boolean;
    /**
     * [interpretation] 2021 (二)(三) "…的人员及其未成年子女": the not-insured-at-origin condition
     * is applied to the person quoted (the child's own `insuredAtOrigin` flag), because the input
     * carries no flag for the parent; staff check the parent when reviewing documents.
     */
    residencePermitChildChecksOwnOriginInsurance: boolean;
    /** 2023 (二)(三)/(四) say "非本市户籍"; 2021 does not (a local-hukou person matches (一) first anyway). */
    residencePermitRequiresNonlocalHukou: boolean;
    workerChildRequiresNonlocalHukou: boolean;
    /** 2023 二 second paragraph: foreigners with a 居留许可, living in Hefei and not employed, may enroll. */
    foreignResidentClause: boolean;
    /**
     * [interpretation] Clauses (一)–(四) speak of 户籍 and 居住证, notions of Chinese citizens:
     * a person whose `hukou` is "foreign" qualifies only through the foreign-expert-family clause
     * (both years) and the foreign-resident clause (2023). Applies to the student clause too.
     */
    foreignersOnlyUnderForeignClauses: boolean;
    /**
     * [interpretation] POLICY.md §2: minor = under this age ON THE asOf DATE (the enrollment
     * date), computed from the birth date.
     */
    minorAgeLimit: number;
    /** 2023 (二)(五) "国家和省规定的其他应当参加居民医保的人员": configurable list, empty by default. */
    otherCategories: string[];
  };

  /**
   * Newborns (新生儿). 2023 (五)(二): "新生儿可参加当年度及下一年度城乡居民医保，新生儿父母办理
   * 参保时应明确新生儿参保年度". null when the scheme states no such rule (2021).
   */
  newbornRule: null | {
    clause: string;
    text: string;
    /**
     * [interpretation] A child born in the benefit year may be enrolled for that year at any
     * date from its birth through the last day of that year (e.g. a child born 2024-05-10 may
     * enroll for benefit year 2024 until 2024-12-31), outside the centralized window.
     */
    birthYearEnrollmentThrough: 'end_of_birth_year';
    /**
     * [interpretation] The scheme does not say when a newborn's benefits start: we report the
     * benefit period as starting on the birth date (never before birth) for a child born
     * inside the benefit year.
     */
    benefitStartsAtBirth: boolean;
    /**
     * [interpretation] No proration is stated: a newborn pays the full individual contribution
     * of the year.
     */
    fullContribution: boolean;
  };

  /** Key dates that other features (lists, screening, universities, cash desk) read. */
  keyDates: {
    /** 准备阶段 ends. */
    preparationBy: string;
    /** Departments send assisted-people lists by this date. */
    assistanceListsBy: string;
    /** People added to the assistance lists during collection are imported until this date. */
    assistanceAdditionsBy: string;
    /** Assistance money moved to the city resident-insurance account by this date. */
    assistanceFundTransferBy: string;
    /** After collection, departments report list changes before this day of each month. */
    monthlyListChangesBeforeDay: number;
    /** 排查阶段 (screening of the unenrolled). */
    screening: DateRange & {
      /** How the scheme words the start ("12月10日" / "11月中旬"). */
      startAsWritten: string;
      /** [interpretation] when the text gives no day ("11月中旬"), we take the 15th. */
      startInterpreted: boolean;
      /** How many previous years' enrollment the screening compares with. */
      compareWithPreviousYears: number;
      /** Compare also with the hukou population (2023). */
      compareWithHukouPopulation: boolean;
      /** Groups to look at especially (2023: people over 60 and students). */
      focus: string[];
    };
    /** Districts report to the city by this day of each month (2021 七(四)); null if not stated. */
    monthlyReportByDay: number | null;
    /** Districts fill in the progress table (附件2) from this month on (2023 八(二)); null if not stated. */
    progressTableFrom: string | null;
    /** Universities: registration and payment deadlines; null where the scheme defers to another notice. */
    university: {
      clause: string;
      /** Notice the scheme refers to for details. */
      notice: string;
      /** 统一代收代缴: 集中参保登记 by this date (2021: 9月30日前, may be postponed because of the epidemic). */
      registrationBy: string | null;
      /** Premium paid into the treasury by this date (2021: 10月31日前). */
      treasuryPaymentBy: string | null;
      /** Benefit start of NEW students (2021): from the collection day, or from the WeChat payment day. */
      newStudentBenefitStart: 'collection_or_payment_date' | null;
    };
    /** Cash collected by communities: remit within N days or when it reaches the amount (2021); null if not stated. */
    cashRemittance: { clause: string; withinDays: number; orWhenReachesFen: number } | null;
    /** Payments show in the medical-insurance system this many working days later (2023); null if not stated. */
    paymentVisibleAfterWorkingDays: number | null;
  };

  /** Payment channels the scheme lists for people enrolled last year. */
  paymentChannels: string[];

  /** City-level contact phones. */
  cityContacts: { name: string; phone: string }[];
  /** Attachment 1 of the 2023 scheme: district medical-insurance and tax phones ([] in 2021). */
  districtContacts: DistrictContact[];
  /** Attachment 2 of the 2023 scheme: progress-table reference rows ([] in 2021). */
  progressReference: ProgressReferenceRow[];
  /** Coverage target (一). */
  coverageTarget: { percent: number; text: string };
}
