/** Which mutation modules a change touches (test/mutation/changed.ts), on the real modules.json. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { modulesTouched } from '../mutation/changed';

const { modules } = JSON.parse(readFileSync(join(__dirname, '..', 'mutation', 'modules.json'), 'utf8'));

describe('modulesTouched', () => {
  it.each([
    [['cloudfunctions/src/policy/quote.ts'], ['policy']],
    [['cloudfunctions/src/policy/tables/scheme2023.ts'], ['policy']],
    // cli.ts is excluded from the policy module's mutate globs ("!…")
    [['cloudfunctions/src/policy/cli.ts'], []],
    [['test/policy/window.test.ts'], ['policy']],
    [['cloudfunctions/src/domain/orders/settlement.ts'], ['orders']],
    [['cloudfunctions/src/domain/enrollments/claims.ts'], ['orders']],
    [['cloudfunctions/src/domain/family/authorizations.ts'], ['family']],
    [['cloudfunctions/local-cloud/database/journal.ts', 'cloudfunctions/src/domain/staff/scope.ts'], ['store', 'scope']],
    [['cloudfunctions/src/domain/identity/id-protection.ts'], ['identity']],
    [['README.md', 'src/pages/home/index.tsx', 'cloudfunctions/src/domain/reminders/templates.ts'], []],
  ])('%j → %j', (files, expected) => {
    expect(modulesTouched(modules, files)).toEqual(expected);
  });
});
