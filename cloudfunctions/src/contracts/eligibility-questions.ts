/**
 * Which eligibility questions a person is asked, shared by the forms (to show them) and the
 * functions (to refuse a form sent with some left unanswered): an unanswered question is not
 * "no", it is a question the engine would otherwise answer by assumption.
 */
import type { EligibilityAnswers } from './resident';

export type QuestionKey = keyof EligibilityAnswers;
type HukouChoice = '' | 'local' | 'nonlocal' | 'foreign';

/** The questions for this hukou and age (minor: under 18), given the answers so far. */
export function eligibilityQuestions(hukou: HukouChoice, minor: boolean, answers: EligibilityAnswers): QuestionKey[] {
  const q: QuestionKey[] = [];
  if (hukou === 'nonlocal') {
    q.push('residencePermit');
    if (minor) q.push('parentHasResidencePermit', 'childOfLocalInsuredWorker');
    if (answers.residencePermit || answers.parentHasResidencePermit) q.push('insuredAtOrigin');
    q.push('student');
  }
  if (hukou === 'foreign') q.push('foreignerResidencePermit', 'foreignExpertFamily');
  if (hukou) q.push('employeeInsured', 'enrolledElsewhere');
  return q;
}

/**
 * A "yes" that already rules the person out (insured elsewhere or as an employee): the other
 * answers cannot change the result, so they are not demanded.
 */
const DECIDING: QuestionKey[] = ['employeeInsured', 'enrolledElsewhere', 'insuredAtOrigin'];

/** The questions asked but left unanswered; empty when the answers are complete. */
export function unansweredQuestions(hukou: HukouChoice, minor: boolean, answers: EligibilityAnswers): QuestionKey[] {
  if (DECIDING.some((k) => answers[k] === true)) return [];
  return eligibilityQuestions(hukou, minor, answers).filter((k) => answers[k] === undefined);
}
