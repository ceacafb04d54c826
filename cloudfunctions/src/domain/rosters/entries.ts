/**
 * University and school rosters (issue 12; 2021 scheme 五(四), 2023 scheme 五(三)(四)).
 *
 * A university (or a primary/secondary school, organisation kind `school`) uploads its students
 * for a benefit year; each row becomes a pending-enrollment entry (待参保数据库) of the student,
 * split by faculty (院系; a school's grade/class column plays the same part). The entry is keyed
 * by the benefit year and the keyed hash of the ID number, so a student is on one roster per year
 * whatever the number of files, and a repeated row never makes a second entry.
 *
 * The entry's `status` follows the student's enrollment: `pending` on the list; `paid_wechat`
 * when the student (or a parent) paid online; `paid_other` when paid another way (the community
 * desk's cash, full assistance); `collected` when the university recorded that it collected the
 * fee with tuition (a batch, domain/rosters/collection.ts). Progress per university and faculty
 * is an aggregation over these statuses (progress.ts).
 */
import type { OrgKind } from '../staff/organisations';

/** Collections of the rosters (declared in cloudfunctions/indexes.json). */
export const ROSTER = { entries: 'roster_entries', imports: 'roster_imports', batches: 'roster_batches' } as const;

export type RosterStatus = 'pending' | 'paid_wechat' | 'paid_other' | 'collected';
export const ROSTER_STATUSES: readonly RosterStatus[] = ['pending', 'paid_wechat', 'paid_other', 'collected'];

export interface RosterEntryDoc {
  /** rosterEntryId(benefitYear, idHash). */
  _id: string;
  orgId: string;
  orgKind: Extract<OrgKind, 'university' | 'school'>;
  orgName: string;
  /** The school's district; null for universities (created by the city). */
  district: string | null;
  benefitYear: number;
  studentNo: string;
  name: string;
  idHash: string;
  idMasked: string;
  idCipher: string;
  /** 院系 (a school: its grade or class group as the roster names it). */
  faculty: string;
  /** 年级 as written (2023级, 一年级 …). */
  grade: string;
  /** 是否新生: new students' benefits may start before the benefit year (2021 五(四)). */
  newStudent: boolean;
  /** The import (roster_imports) that listed the student first. */
  importId: string;
  status: RosterStatus;
  /** The person record, once one exists (the student verified, or the university collected). */
  personId: string | null;
  /** The order that paid: a WeChat order, a cash order, or the university's batch order. */
  outTradeNo: string | null;
  paidAt: string | null;
  /** The university's collection date (收取学费时一并收取), set by a batch. */
  collectedOn: string | null;
  batchId: string | null;
  /** Shanghai date the student's benefits start (benefit-start.ts); null until paid. */
  benefitStart: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The entry's id: the benefit year and the first 40 hex characters (160 bits) of the keyed ID hash,
 * short enough for the contracts' document ids (64), still unique for any roster.
 */
export function rosterEntryId(benefitYear: number, idHash: string): string {
  return `r${benefitYear}${idHash.slice(0, 40)}`;
}

/** What staff and the student see of an entry (never the cipher or the hash). */
export function entryView(e: RosterEntryDoc) {
  return {
    entryId: e._id,
    orgId: e.orgId,
    orgName: e.orgName,
    orgKind: e.orgKind,
    benefitYear: e.benefitYear,
    studentNo: e.studentNo,
    name: e.name,
    idMasked: e.idMasked,
    faculty: e.faculty,
    grade: e.grade,
    newStudent: e.newStudent,
    status: e.status,
    statusText: STATUS_TEXT[e.status],
    paidAt: e.paidAt,
    collectedOn: e.collectedOn,
    batchId: e.batchId,
    benefitStart: e.benefitStart,
  };
}

export const STATUS_TEXT: Readonly<Record<RosterStatus, string>> = {
  pending: '待参保',
  paid_wechat: '已微信缴费',
  paid_other: '已缴费（其他方式）',
  collected: '学校已代收',
};
