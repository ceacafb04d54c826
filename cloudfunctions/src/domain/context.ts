/**
 * What a domain operation needs from the platform: the store, the clock and the ports.
 * Functions build it from the real platform; tests can build it from fakes.
 */
import type { DocStore } from '../platform/database';
import type { Caller, Clock, IdentityPort, InsurancePlatformPort, MessagesPort, PayPort, StoragePort } from '../platform/ports';

export interface Deps {
  db: DocStore;
  clock: Clock;
  storage: StoragePort;
  pay: PayPort;
  messages: MessagesPort;
  identity: IdentityPort;
  /** The insurance system (医保信息平台); only the insurance sync uses it. */
  insurance?: InsurancePlatformPort;
}

export interface Acting extends Deps {
  caller: Caller;
}

/** Collection names, in one place. */
export const C = {
  users: 'users',
  persons: 'persons',
  familyLinks: 'family_links',
  enrollments: 'enrollments',
  orders: 'orders',
  payments: 'payments',
  documents: 'documents',
  auditLog: 'audit_log',
  assistanceLists: 'assistance_lists',
  staff: 'staff',
  invitations: 'invitations',
  identityAttempts: 'identity_attempts',
  staffAlerts: 'staff_alerts',
  personFactChanges: 'person_fact_changes',
  organisations: 'organisations',
  /** Refunds through WeChat Pay (domain/orders/refunds.ts), _id = out_refund_no. */
  refunds: 'refunds',
  /** Imports and exports as resumable jobs (domain/jobs). */
  jobs: 'jobs',
  /** A job's parsed input rows, staged in encrypted blocks (domain/files/staging.ts). */
  jobRows: 'job_rows',
  /** Partially assisted people not yet enrolled, for their township and community to visit (domain/lists). */
  mobilization: 'assistance_mobilization',
  /** People who paid more than a list now says they owe (domain/lists). */
  reconciliation: 'assistance_reconciliation',
} as const;
