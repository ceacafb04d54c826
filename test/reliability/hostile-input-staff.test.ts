/** Hostile input, the staff side: every staff* function (see hostile-input.ts). */
import { defineFuzz } from './hostile-input';

defineFuzz('staff side', (name) => name.startsWith('staff'));
