/**
 * Persons: one record per human, found by the keyed hash of the ID number (unique index
 * persons.idHash). Plain ID and mobile numbers are never stored: hash, mask, cipher.
 * Newborns without an ID number are keyed by the hash of the birth-certificate number.
 */
import type { EligibilityAnswers } from '../../contracts/resident';
import { DuplicateKeyError } from '../../platform/database';
import { C, Deps } from '../context';
import type { Hukou } from '../policy-port';

export interface PersonDoc {
  _id: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  idHash: string;
  /** 'id' for ID numbers, 'birth_certificate' for newborns registered without one. */
  idKind: 'id' | 'birth_certificate';
  idMasked: string | null;
  idCipher: string | null;
  hukou: Hukou;
  district: string | null;
  addressCipher?: string | null;
  mobileMasked?: string | null;
  mobileCipher?: string | null;
  answers: EligibilityAnswers;
  newborn: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
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
