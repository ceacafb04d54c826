/**
 * One roster row as a university or school sends it (columns 学号, 姓名, 身份证号码, 院系, 年级,
 * 是否新生; the layout is documented in test/fixtures/rosters/README.md), checked on its own and
 * against the rest of the file. Nothing here reads the database: the checks against other
 * schools' rosters are in import.ts.
 */
import { encryptIdNumber, hashIdNumber, maskId, normaliseIdNumber } from '../identity/id-protection';
import { parseId } from '../policy-port';

/** The columns (files/table.ts mapHeaders), each with the header names accepted for it (the first is the documented one). */
export const ROSTER_COLUMNS = {
  studentNo: { names: ['学号', '学籍号'], required: true },
  name: { names: ['姓名', '学生姓名'], required: true },
  idNumber: { names: ['身份证号码', '身份证号', '公民身份号码', '证件号码'], required: true },
  faculty: { names: ['院系', '学院', '班级'], required: true },
  grade: { names: ['年级'], required: true },
  newStudent: { names: ['是否新生', '新生'], required: true },
} as const;
export type RosterColumn = keyof typeof ROSTER_COLUMNS;

export const COLUMN_LABEL: Readonly<Record<RosterColumn, string>> = {
  studentNo: '学号',
  name: '姓名',
  idNumber: '身份证号码',
  faculty: '院系',
  grade: '年级',
  newStudent: '是否新生',
};

export type RowProblem =
  | 'MISSING_FIELD'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_NAME'
  | 'INVALID_NEW_STUDENT'
  | 'DUPLICATE_ID_IN_FILE'
  | 'DUPLICATE_STUDENT_NO_IN_FILE'
  | 'ON_OTHER_ROSTER'
  | 'TOO_LONG';

export interface RowError {
  /** The row's line in the file (the header is line 1). */
  line: number;
  field: RosterColumn | null;
  code: RowProblem;
  message: string;
}

/** A checked row, ready to become an entry: the plain ID number is gone (hash, mask, cipher). */
export interface RosterRow {
  line: number;
  studentNo: string;
  name: string;
  idHash: string;
  idMasked: string;
  idCipher: string;
  faculty: string;
  grade: string;
  newStudent: boolean;
}

const NAME = /^[\u4e00-\u9fa5\u3400-\u4dbf·•A-Za-z .'-]{2,40}$/;
const YES = new Set(['是', 'Y', 'YES', '1', 'TRUE', '新生']);
const NO = new Set(['否', 'N', 'NO', '0', 'FALSE', '']);

/** Per-file state: the numbers and student numbers seen so far, to find duplicates. */
export interface FileSeen {
  ids: Map<string, number>;
  studentNos: Map<string, number>;
}
export const newFileSeen = (): FileSeen => ({ ids: new Map(), studentNos: new Map() });

/**
 * Checks one row. `seen` carries the file's earlier rows (hashes, not numbers), so a duplicate
 * names the line it repeats.
 */
export function checkRow(line: number, cells: Record<RosterColumn, string>, seen: FileSeen): { row: RosterRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const v = (c: RosterColumn) => String(cells[c] ?? '').trim();
  for (const c of ['studentNo', 'name', 'idNumber', 'faculty', 'grade'] as RosterColumn[]) {
    if (!v(c)) errors.push({ line, field: c, code: 'MISSING_FIELD', message: `${COLUMN_LABEL[c]}为空` });
    else if (v(c).length > 40) errors.push({ line, field: c, code: 'TOO_LONG', message: `${COLUMN_LABEL[c]}超过40个字符` });
  }
  if (v('name') && !NAME.test(v('name'))) errors.push({ line, field: 'name', code: 'INVALID_NAME', message: '姓名含有不能识别的字符' });
  const flag = v('newStudent').toUpperCase();
  if (!YES.has(flag) && !NO.has(flag)) errors.push({ line, field: 'newStudent', code: 'INVALID_NEW_STUDENT', message: '是否新生请填写“是”或“否”' });

  let idNumber = '';
  let idHash = '';
  if (v('idNumber')) {
    idNumber = normaliseIdNumber(v('idNumber'));
    try {
      if (!/^\d{17}[\dX]$/.test(idNumber)) throw new Error('format');
      parseId(idNumber);
      idHash = hashIdNumber(idNumber);
    } catch {
      errors.push({ line, field: 'idNumber', code: 'INVALID_ID_NUMBER', message: '身份证号码不正确（位数、出生日期或校验位）' });
    }
  }
  if (idHash) {
    const first = seen.ids.get(idHash);
    if (first !== undefined) errors.push({ line, field: 'idNumber', code: 'DUPLICATE_ID_IN_FILE', message: `身份证号码与第${first}行重复` });
    else seen.ids.set(idHash, line);
  }
  if (v('studentNo')) {
    const first = seen.studentNos.get(v('studentNo'));
    if (first !== undefined) errors.push({ line, field: 'studentNo', code: 'DUPLICATE_STUDENT_NO_IN_FILE', message: `学号与第${first}行重复` });
    else seen.studentNos.set(v('studentNo'), line);
  }
  if (errors.length) return { errors };
  return {
    row: {
      line,
      studentNo: v('studentNo'),
      name: v('name').replace(/\s+/g, ''),
      idHash,
      idMasked: maskId(idNumber),
      idCipher: encryptIdNumber(idNumber),
      faculty: v('faculty'),
      grade: v('grade'),
      newStudent: YES.has(flag),
    },
  };
}
