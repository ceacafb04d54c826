/** Hostile input, the residents' side: resident, payment, student, payCallback and the timers (see hostile-input.ts). */
import { defineFuzz } from './hostile-input';

defineFuzz('resident side', (name) => !name.startsWith('staff'));
