/**
 * A document staff sent back reaches the resident who uploaded it as a subscribe message
 * (document_result), not only as a notice on the home page — if they subscribed to it. Best
 * effort, like the other messages: a failed send never undoes the review. A one-time
 * subscription is used up by the message it allowed.
 */
import type { DocumentKind } from '../../contracts/resident';
import type { UserDoc } from '../consent/consent';
import { Acting, C } from '../context';
import type { PersonDoc } from '../persons/persons';
import { subscribeMessage } from '../reminders/templates';
import type { DocumentDoc } from './documents';

const KIND_TEXT: Record<DocumentKind, string> = {
  id_card_front: '身份证人像面',
  id_card_back: '身份证国徽面',
  hukou_page: '户口簿页',
  residence_permit: '居住证',
  birth_certificate: '出生医学证明',
};

export async function tellUploader(deps: Acting, documentId: string, reason: string): Promise<boolean> {
  try {
    const doc = await deps.db.get<DocumentDoc>(C.documents, documentId);
    if (!doc) return false;
    const user = await deps.db.get<UserDoc>(C.users, doc.uploadedBy);
    if (!user?.subscriptions?.includes('document_result')) return false;
    const person = await deps.db.get<PersonDoc>(C.persons, doc.personId);
    await deps.messages.sendSubscribe(
      subscribeMessage('document_result', doc.uploadedBy, `pages/documents/index?personId=${doc.personId}`, {
        item: `${person?.name ?? ''}的${KIND_TEXT[doc.kind]}`,
        result: '请重新上传',
        note: reason,
        decidedAt: { at: deps.clock.now() },
      }),
    );
    await deps.db.update(C.users, doc.uploadedBy, { subscriptions: deps.db.cmd.set(user.subscriptions.filter((t) => t !== 'document_result')) });
    return true;
  } catch (err) {
    console.warn('[document_result] message not sent', (err as Error)?.name);
    return false;
  }
}
