/**
 * Persons: one record per human, found by the keyed hash of the ID number (unique index
 * persons.idHash). Plain ID and mobile numbers are never stored: hash, mask, cipher.
 * Newborns without an ID number are keyed by the hash of the birth-certificate number.
 */
import type { EligibilityAnswers } from '../../contracts/resident';
import { DuplicateKeyError } from '../../platform/database';
import { AppError } from '../../platform/errors';
import { C, Deps } from '../context';
import { isCalendarDate, type CalendarDate } from '../dates';
import { decryptIdNumber } from '../identity/id-protection';
import type { Hukou } from '../policy-port';

export interface PersonDoc {
  _id: string;
  name: string;
  sex: 'male' | 'female';
  /** Old shape only (before issue 9): the plain birth date, which with a 6+4 mask rebuilt the ID number. */
  birthDate?: string;
  /** The birth date, encrypted like the ID number (never stored plain). */
  birthDateCipher?: string;
  idHash: string;
  /** 'id' for ID numbers, 'birth_certificate' for newborns registered without one. */
  idKind: 'id' | 'birth_certificate';
  idMasked: string | null;
  idCipher: string | null;
  hukou: Hukou;
  district: string | null;
  /**
   * The community (社区/村居) the person lives in and registered with (issue 11): chosen by the
   * resident from their district's list, correctable by staff. Community and district staff
   * scopes follow it (`personInScope`); absent/null on records made before it existed.
   */
  community?: PersonCommunity | null;
  addressCipher?: string | null;
  mobileMasked?: string | null;
  mobileCipher?: string | null;
  answers: EligibilityAnswers;
  newborn: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  /** How the person's own account proved it is them; null/absent: not verified. */
  verification?: 'face' | 'document' | 'desk' | null;
  verifiedAt?: string | null;
  /** The openid of the one account verified as this person (not an ID number: kept plain). */
  verifiedOpenid?: string | null;
}

/** A person's community, copied from its organisation so scope checks need no extra read. */
export interface PersonCommunity {
  id: string;
  name: string;
  township: string | null;
  district: string;
}

/**
 * Said for a record whose stored birth date does not exist (2023-02-30, let through before the
 * contracts checked dates): that person alone is refused, with what to do, until a guardian
 * registers the newborn again with the certificate's date (registration.ts corrects the record).
 */
export const BIRTH_DATE_INVALID_MESSAGE = '出生日期登记有误，请按出生医学证明重新登记新生儿以更正';

/** The birth date, read from its cipher (or, for old-shape records, the plain field); BIRTH_DATE_INVALID when it does not exist. */
export function birthDateOf(person: Pick<PersonDoc, 'birthDate' | 'birthDateCipher' | 'idCipher' | 'idKind'>): CalendarDate {
  const date = storedBirthDate(person);
  if (!isCalendarDate(date)) throw new AppError('BIRTH_DATE_INVALID', BIRTH_DATE_INVALID_MESSAGE, 'birthDate');
  return date;
}

/** The stored text as it is, valid or not (the repair path compares it). */
export function storedBirthDate(person: Pick<PersonDoc, 'birthDate' | 'birthDateCipher' | 'idCipher' | 'idKind'>): string {
  if (person.birthDateCipher) return decryptIdNumber(person.birthDateCipher);
  if (person.birthDate) return person.birthDate;
  if (person.idKind === 'id' && person.idCipher) {
    const n = decryptIdNumber(person.idCipher);
    return `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  }
  throw new Error('person without a birth date');
}

/** Names compare without surrounding or inner spaces, and the two middle dots as one. */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/\s+/g, '').replace(/[•‧・]/g, '·').toLowerCase();
  return n(a) === n(b);
}

export async function findByIdHash(deps: Pick<Deps, 'db'>, idHash: string): Promise<PersonDoc | null> {
  const found = await deps.db.find<PersonDoc>(C.persons, { idHash }, { limit: 1 });
  return found[0] ?? null;
}

export async function getPerson(deps: Pick<Deps, 'db'>, personId: string): Promise<PersonDoc | null> {
  return deps.db.get<PersonDoc>(C.persons, personId);
}

/** Inserts a new person; on a unique-index race returns the person that won. */
export async function createOrFind(deps: Pick<Deps, 'db'>, doc: Omit<PersonDoc, '_id'>): Promise<{ person: PersonDoc; created: boolean }> {
  try {
    const id = await deps.db.insert(C.persons, doc);
    return { person: { ...doc, _id: id }, created: true };
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const existing = await findByIdHash(deps, doc.idHash);
    if (!existing) throw err;
    return { person: existing, created: false };
  }
}
