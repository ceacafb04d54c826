/**
 * Every job kind, for the `jobs` timer that resumes them: a kind not imported here is never
 * resumed after a crash. One import line per kind module (each registers its kind with
 * defineJobKind when loaded); keep one line per kind so parallel additions merge cleanly.
 */
export { registeredKinds } from './jobs';
import '../rosters/import';
import '../insurance/sync';
import '../lists/lists';
import '../season/recount';
import '../season/register-import';
import '../season/screening';
