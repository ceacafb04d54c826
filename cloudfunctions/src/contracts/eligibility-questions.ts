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

/**
 * [interpretation] The questions a newborn's guardian is asked: only those that can change a
 * baby's result. A baby holds no residence permit of its own, is no student and no employee, and
 * a Hefei-hukou baby qualifies by its hukou alone (二（一）), so a local newborn is asked nothing; a
 * non-local baby qualifies through a parent (持居住证人员的未成年子女, 随迁子女) and must not be
 * insured at its origin; a foreign baby through its residence permit or a foreign expert parent.
 */
const NEWBORN_ASKED: QuestionKey[] = ['parentHasResidencePermit', 'childOfLocalInsuredWorker', 'insuredAtOrigin', 'foreignerResidencePermit', 'foreignExpertFamily'];

export function newbornQuestions(hukou: HukouChoice, answers: EligibilityAnswers): QuestionKey[] {
  return eligibilityQuestions(hukou, true, answers).filter((k) => NEWBORN_ASKED.includes(k));
}

/** The newborn's questions left unanswered (see newbornQuestions). */
export function unansweredNewbornQuestions(hukou: HukouChoice, answers: EligibilityAnswers): QuestionKey[] {
  if (DECIDING.some((k) => answers[k] === true)) return [];
  return newbornQuestions(hukou, answers).filter((k) => answers[k] === undefined);
}
