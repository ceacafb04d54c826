/**
 * Staged rows: a job parses its file once (files/table.ts) and keeps the rows in `job_rows`, in
 * blocks of BLOCK_ROWS rows, so each later step reads one block (one document) instead of
 * parsing the file again. A block is stored as one AES-GCM cipher (id-protection's encryptText):
 * rows carry ID numbers, which are never stored in plain text. Block ids are deterministic
 * (`<jobId>:<n>`) and written with set, so staging twice (a crash during staging) is harmless.
 * Drop the blocks when the job ends (dropStaged, idempotent).
 */
import { decryptText, encryptText } from '../identity/id-protection';
import { C, Deps } from '../context';

/** 500 rows of a list are ~50 KB of cipher: far under the 16 MB document limit, 100 blocks for 50,000 rows. */
export const BLOCK_ROWS = 500;

export interface StagedBlock<T> {
  _id: string;
  jobId: string;
  block: number;
  rows: number;
  cipher: string;
}

export const blockId = (jobId: string, block: number) => `${jobId}:${block}`;

export function blockCount(rows: number, blockRows = BLOCK_ROWS): number {
  return Math.ceil(rows / blockRows);
}

/** Writes blocks from `fromBlock` on (a resumed staging skips what it already wrote); returns the block count. */
export async function stageRows<T>(deps: Pick<Deps, 'db'>, jobId: string, rows: T[], options: { fromBlock?: number; blockRows?: number } = {}): Promise<number> {
  const size = options.blockRows ?? BLOCK_ROWS;
  const blocks = blockCount(rows.length, size);
  for (let b = options.fromBlock ?? 0; b < blocks; b++) {
    const slice = rows.slice(b * size, (b + 1) * size);
    await deps.db.set(C.jobRows, blockId(jobId, b), { jobId, block: b, rows: slice.length, cipher: encryptText(JSON.stringify(slice)) });
  }
  return blocks;
}

/** One block at a given number (a job that collects rows step by step: one block per step). */
export async function writeBlock<T>(deps: Pick<Deps, 'db'>, jobId: string, block: number, rows: T[]): Promise<void> {
  await deps.db.set(C.jobRows, blockId(jobId, block), { jobId, block, rows: rows.length, cipher: encryptText(JSON.stringify(rows)) });
}

export async function readBlock<T>(deps: Pick<Deps, 'db'>, jobId: string, block: number): Promise<T[]> {
  const doc = await deps.db.get<StagedBlock<T>>(C.jobRows, blockId(jobId, block));
  if (!doc) throw new Error(`staged block ${block} missing`);
  return JSON.parse(decryptText(doc.cipher)) as T[];
}

export async function dropStaged(deps: Pick<Deps, 'db'>, jobId: string, blocks: number): Promise<void> {
  for (let b = 0; b < blocks; b++) await deps.db.remove(C.jobRows, blockId(jobId, b));
}
