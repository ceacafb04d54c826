/**
 * The client of the `student` function, kept in the student subpackage so the main package does
 * not carry its contract.
 */
import { studentReplies, type StudentAction, type StudentReply, type StudentRequestInput } from '@contracts/student';
import { callFunction } from '@/services/cloud';

type StudentEvent<A extends StudentAction> = Extract<StudentRequestInput, { action: A }>;

export function student<A extends StudentAction>(event: StudentEvent<A>): Promise<StudentReply<A>> {
  return callFunction('student', event, studentReplies[event.action as A] as never) as Promise<StudentReply<A>>;
}
