/** The real platform's dependencies, for the function handlers. */
import { docStore } from '../platform/database';
import { messagesPort, payPort, platformClock, storagePort } from '../platform/wx-cloud';
import { identityPort } from '../platform/identity';
import { insurancePort } from '../platform/insurance';
import type { Caller, Clock } from '../platform/ports';
import type { Acting, Deps } from './context';
import { beforeEachInvocation } from '../platform/handler';
import { loadPublishedPolicies } from './policy-port';

// Every function that builds platform deps quotes with the tables published at its own clock.
const loadPolicies = (clock: Clock) => loadPublishedPolicies({ db: docStore(), clock });
beforeEachInvocation(loadPolicies);

export function platformDeps(clock: Clock = platformClock): Deps {
  return { db: docStore(), clock, storage: storagePort, pay: payPort, messages: messagesPort, identity: identityPort, insurance: insurancePort };
}

export function acting(caller: Caller, clock: Clock): Acting {
  return { ...platformDeps(clock), caller };
}
