/**
 * Set-up of the season tests (issue 13): a generated population's season so far written into a
 * local cloud's store — persons with their paid enrollments of 2022–2024 and the counters' marks
 * of those enrollments (what markPaid and the recount write: season-progress.test.ts checks
 * that), and the 2024 assistance lists — and the register import and screening run by the city.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { LocalCloud } from '../../cloudfunctions/local-cloud/server';
import type { Person } from '../../scripts/generate-population';
import { Resident, upload } from './helpers';

export interface Seeded {
  hashOf: Map<string, string>;
  personIdOf: Map<string, string>;
}

/** `marks: false` leaves the marks (and the counters) to the recount job, as on a first deployment. */
export async function seedSeason(cloud: Pick<LocalCloud, 'dataDir' | 'store'>, people: Person[], options: { marks?: boolean } = {}): Promise<Seeded> {
  const keys = JSON.parse(readFileSync(join(cloud.dataDir, 'keys.json'), 'utf8'));
  process.env.ID_ENC_KEY = keys.idEncKey;
  process.env.ID_HMAC_KEY = keys.idHmacKey;
  const { protectIdNumber, encryptIdNumber } = await import('../../cloudfunctions/src/domain/identity/id-protection');
  const hashOf = new Map<string, string>();
  const personIdOf = new Map<string, string>();
  let writes: any[] = [];
  const flush = () => {
    cloud.store.write(writes);
    writes = [];
  };
  people.forEach((p, i) => {
    const prot = protectIdNumber(p.idNumber);
    hashOf.set(p.idNumber, prot.idHash);
    const years = Object.entries(p.enrolled).filter(([, e]) => e).map(([y]) => Number(y));
    if (years.length) {
      const personId = `sp${i}`;
      personIdOf.set(p.idNumber, personId);
      writes.push({ c: 'persons', id: personId, doc: { _id: personId, name: p.name, sex: Number(p.idNumber[16]) % 2 ? 'male' : 'female', idHash: prot.idHash, idKind: 'id', idMasked: prot.idMasked, idCipher: prot.idCipher, birthDateCipher: encryptIdNumber(p.birthDate), hukou: 'local', district: p.district, community: null, answers: { employeeInsured: false, enrolledElsewhere: false }, newborn: false, createdAt: '2021-10-01T00:00:00.000Z', createdBy: 'seed' } });
      for (const y of years) {
        const at = `${y - 1}-10-01T02:00:00.000Z`;
        writes.push({ c: 'enrollments', id: `${personId}_${y}`, doc: { _id: `${personId}_${y}`, personId, benefitYear: y, status: 'enrolled', outTradeNo: null, amountFen: 38000, paidAt: at, expectedSyncBy: null, createdAt: at, updatedAt: at } });
        if (options.marks !== false) writes.push({ c: 'progress_marks', id: `${y}-${prot.idHash.slice(0, 40)}`, doc: { _id: `${y}-${prot.idHash.slice(0, 40)}`, benefitYear: y, personId, area: p.district, shard: 0, at } });
      }
    }
    if (p.assisted) writes.push({ c: 'assistance_lists', id: `al${i}`, doc: { _id: `al${i}`, idHash: prot.idHash, benefitYear: 2024, category: 'dibao' } });
    if (writes.length > 20_000) flush();
  });
  flush();
  return { hashOf, personIdOf };
}

/** The city imports the register csv and runs the screening of 2024 to the end. */
export async function importAndScreen(cloud: Pick<LocalCloud, 'url'>, city: Resident, csv: string): Promise<{ importJob: any; runJob: any }> {
  const ticket = await city.data('staffSeason', { action: 'registerUploadTicket', ext: 'csv' });
  const fileID = await upload(cloud.url, city.token, ticket.cloudPath, Buffer.from(csv, 'utf8'), 'register.csv');
  let importJob = await city.data('staffSeason', { action: 'registerImport', fileID });
  while (importJob.status === 'running') importJob = await city.data('staffSeason', { action: 'registerImportJob', jobId: importJob.jobId });
  let runJob = await city.data('staffSeason', { action: 'screeningRun', benefitYear: 2024 });
  while (runJob.status === 'running') runJob = await city.data('staffSeason', { action: 'screeningRunJob', jobId: runJob.jobId });
  return { importJob, runJob };
}
