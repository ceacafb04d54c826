/**
 * The resident-facing document actions: where to upload, attach, list.
 */
import { requireConsent } from '../consent/consent';
import { Acting } from '../context';
import { requireFamilyPerson } from '../family/family';
import type { DocumentKind } from '../../contracts/resident';
import { attachDocument, documentsOf, MAX_DOCUMENT_BYTES, newCloudPath, view } from './documents';

export async function requestUpload(deps: Acting, personId: string, _kind: DocumentKind, ext: string) {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  return { cloudPath: newCloudPath(deps.caller.openid, ext), maxBytes: MAX_DOCUMENT_BYTES };
}

export async function attach(deps: Acting, personId: string, kind: DocumentKind, fileID: string) {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  return attachDocument(deps, personId, kind, fileID);
}

export async function listDocuments(deps: Acting, personId: string) {
  await requireConsent(deps);
  await requireFamilyPerson(deps, personId);
  return { documents: (await documentsOf(deps, personId)).map(view) };
}
