/**
 * Migration of records written before issue 9, in chunks of at most 100 documents per read
 * (the cloud's cap), idempotent: run it again until `done`.
 * - persons: the 6+4 mask becomes 3+4, the plain birth date is encrypted and removed (with the
 *   old mask it rebuilt the ID number);
 * - family_links without basis/status: `legacy`, active (they keep working; home asks the
 *   resident to verify at their next visit);
 * - orders and payments: the masks copied into their items become 3+4, an order item's quote
 *   explanation (it can name an age) is encrypted.
 * Until it has run, the code reads both shapes (birthDateOf, statusOf, basisOf).
 */
import { Acting, C } from '../context';
import { requireStaff } from '../staff/staff';
import type { PersonDoc } from '../persons/persons';
import { decryptIdNumber, encryptIdNumber, encryptText, maskId } from './id-protection';

const CHUNK = 100;
/** An ID mask with more than the first three characters visible (the old 6+4 form). */
const OLD_MASK = /^[0-9]{4,}\*/;

export function remask(masked: string | null | undefined): string | null | undefined {
  if (!masked || !OLD_MASK.test(masked)) return masked;
  return masked.slice(0, 3) + '*'.repeat(masked.length - 7) + masked.slice(-4);
}

export async function migrateChunk(deps: Pick<Acting, 'db' | 'clock'>): Promise<{ persons: number; links: number; records: number; done: boolean }> {
  const { db } = deps;
  const at = deps.clock.now().toISOString();
  const persons = await db.find<PersonDoc>(C.persons, { birthDate: db.cmd.exists(true) }, { limit: CHUNK });
  for (const p of persons) {
    const patch: Record<string, unknown> = { birthDate: db.cmd.remove(), migratedAt: at };
    if (!p.birthDateCipher && p.birthDate) patch.birthDateCipher = encryptIdNumber(p.birthDate);
    if (p.idKind === 'id' && p.idCipher) patch.idMasked = maskId(decryptIdNumber(p.idCipher));
    else if (p.idMasked) patch.idMasked = remask(p.idMasked);
    if (p.verification === undefined) patch.verification = null;
    await db.update(C.persons, p._id, patch);
  }
  const links = await db.find<{ _id: string; createdAt: string }>(C.familyLinks, { basis: db.cmd.exists(false) }, { limit: CHUNK });
  for (const l of links) {
    await db.update(C.familyLinks, l._id, { basis: 'legacy', status: 'active', grantedAt: l.createdAt, grantedBy: 'migration', migratedAt: at });
  }
  let records = 0;
  for (const c of [C.orders, C.payments]) {
    const rows = await db.find<{ _id: string; items?: Array<{ idMasked?: string | null; explanation?: string[] }> }>(c, { idMasksMigrated: db.cmd.exists(false) }, { limit: CHUNK });
    for (const r of rows) {
      const items = (r.items ?? []).map(({ explanation, ...i }) => ({
        ...i,
        idMasked: remask(i.idMasked) ?? null,
        // A quote's explanation can name an age or a birth date: kept, encrypted.
        ...(explanation ? { explanationCipher: encryptText(JSON.stringify(explanation)) } : {}),
      }));
      await db.update(c, r._id, { items: db.cmd.set(items), idMasksMigrated: true });
      records++;
    }
  }
  const done = persons.length < CHUNK && links.length < CHUNK && records < CHUNK;
  return { persons: persons.length, links: links.length, records, done };
}

/** The city centre runs the migration from the staff side, one chunk per call. */
export async function migrateIdentity(deps: Acting) {
  await requireStaff(deps, ['city']);
  return migrateChunk(deps);
}
