/**
 * A person's facts (hukou, eligibility answers, mobile, address) change only by the person,
 * an authorized actor or staff, and each change is kept in person_fact_changes (masked).
 */
import { AppError } from '../../platform/errors';
import { Acting } from '../context';

const notYet = () => new AppError('NOT_IMPLEMENTED', '该功能即将上线');

export async function updatePersonFacts(_deps: Acting, _input: unknown): Promise<never> {
  throw notYet();
}
export async function factHistory(_deps: Acting, _personId: string): Promise<never> {
  throw notYet();
}
