/**
 * The resident-facing document actions: where to upload, attach, list.
 */
import { requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { activateWithEvidence, EVIDENCE_KINDS } from '../family/authorizations';
import { AUTHORIZATION_PENDING, basisOf, requireFamilyPerson, statusOf } from '../family/family';
import type { DocumentKind } from '../../contracts/resident';
import { attachDocument, documentsOf, MAX_DOCUMENT_BYTES, newCloudPath, view } from './documents';

export async function requestUpload(deps: Acting, personId: string, _kind: DocumentKind, ext: string) {
  await requireConsent(deps);
  // A guardian whose claim is pending uploads the evidence that activates it.
  await requireFamilyPerson(deps, personId, { allowPending: true });
  return { cloudPath: newCloudPath(deps.caller.openid, ext), maxBytes: MAX_DOCUMENT_BYTES };
}

export async function attach(deps: Acting, personId: string, kind: DocumentKind, fileID: string) {
  await requireConsent(deps);
  const { link } = await requireFamilyPerson(deps, personId, { allowPending: true });
  // Pending, only a guardian's evidence: an adult's pending claim (waiting for their invitation
  // to be accepted) adds nothing to that adult's record.
  if (statusOf(link) === 'pending' && (basisOf(link) !== 'guardian' || !EVIDENCE_KINDS.includes(kind))) throw AUTHORIZATION_PENDING();
  const view = await attachDocument(deps, personId, kind, fileID);
  await activateWithEvidence(deps, personId, kind, view.documentId);
  return view;
}

export async function listDocuments(deps: Acting, personId: string) {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  return { documents: (await documentsOf(deps, personId)).map(view) };
}
