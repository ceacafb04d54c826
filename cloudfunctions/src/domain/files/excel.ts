/**
 * exceljs, loaded the first time a spreadsheet is read or written. It is the largest module a
 * function bundles (with its zip libraries ~1.2 MB minified, ~150 ms CPU to evaluate), and the
 * functions that handle spreadsheets (staffLists, staffRoster, staffSeason, jobs) mostly answer
 * status polls and timer runs that never touch one. build.ts bundles it into exceljs.js beside
 * index.js (LAZY_CHUNKS) and refuses a bundle that imports it statically; a type-only import
 * (`import type ExcelJS from 'exceljs'`) is erased and costs nothing.
 *
 * The first call pays the load once per instance, inside a call that is about to parse or
 * build a workbook anyway (hundreds of ms to seconds); a failure to load rejects that call
 * like any other error and the next call tries again.
 */
import type ExcelJSModule from 'exceljs';

let loading: Promise<typeof ExcelJSModule> | undefined;

export function loadExcelJS(): Promise<typeof ExcelJSModule> {
  loading ??= import('exceljs').then(
    // CommonJS seen through import(): the module object is `default` (bundled chunk, Node) or the
    // module itself (a transpiler's interop helper that already unwrapped it).
    (mod) => ((mod as { default?: typeof ExcelJSModule }).default ?? (mod as unknown as typeof ExcelJSModule)),
    (err) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
