/**
 * Step 2 of enrollment (证件材料): the identity document of a new enrollee — both sides of the
 * ID card, or the household-register page, or the residence permit. weapp: camera or album (a
 * PDF only from a WeChat chat, the one place weapp can pick one), with advice when a permission
 * is refused (use-document-picker); H5: a file input; JPEG/PNG/PDF. The server checks the file
 * and its refusal is shown next to the slot; when staff asked for a better document, their
 * reason is shown and the person uploads again.
 */
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { DocumentKind, DocumentView } from '@contracts/resident';
import PageShell from '@/components/PageShell';
import StepBar from '@/components/resident/StepBar';
import { Choices, Field } from '@/components/resident/Field';
import { Button } from '@/ui/nutui';
import { resident } from '@/services/resident';
import { uploadFile } from '@/services/cloud';
import type { PickedFile } from '@/services/picker';
import { compressPhoto, previewOf } from '@/services/compress';
import { subscribeReminders } from '@/services/reminders';
import PickNotice from '@/components/resident/PickNotice';
import { useDocumentPicker, type PickNoticeState, type PickSource } from './use-document-picker';
import { CloudCallError, userMessage } from '@/services/errors';
import { DOCUMENT_KIND_TEXT } from '@/services/format';
import '../../styles/resident.scss';

type DocType = 'id_card' | 'hukou' | 'residence_permit' | 'birth_certificate';

export const SLOTS: Record<DocType, DocumentKind[]> = {
  id_card: ['id_card_front', 'id_card_back'],
  hukou: ['hukou_page'],
  residence_permit: ['residence_permit'],
  birth_certificate: ['birth_certificate'],
};

/**
 * A child's evidence (`evidence=1`): the 户口簿 page or the birth certificate shows the caller is
 * the parent or guardian; until one is attached the child cannot be paid for.
 */
const EVIDENCE_TYPES: { value: DocType; label: string }[] = [
  { value: 'hukou', label: '户口簿' },
  { value: 'birth_certificate', label: '出生医学证明' },
];
const IDENTITY_TYPES: { value: DocType; label: string }[] = [
  { value: 'id_card', label: '身份证' },
  { value: 'hukou', label: '户口簿' },
  { value: 'residence_permit', label: '居住证' },
];

export const MAX_BYTES = 5 * 1024 * 1024;
type Ext = 'jpg' | 'png' | 'pdf';

/** The upload's extension from its name or type, or null when not JPEG/PNG/PDF. */
export function extensionOf(name: string, type?: string): Ext | null {
  const n = name.toLowerCase();
  if (/\.(jpe?g)$/.test(n) || type === 'image/jpeg') return 'jpg';
  if (/\.png$/.test(n) || type === 'image/png') return 'png';
  if (/\.pdf$/.test(n) || type === 'application/pdf') return 'pdf';
  return null;
}

const usable = (d?: DocumentView) => !!d && (d.status === 'pending_review' || d.status === 'approved');

/** Whether the slots of a document type are all filled with usable uploads. */
export function complete(type: DocType, docs: DocumentView[]): boolean {
  return SLOTS[type].every((k) => usable(docs.find((d) => d.kind === k)));
}

function typeOf(docs: DocumentView[]): DocType {
  if (docs.some((d) => d.kind === 'hukou_page')) return 'hukou';
  if (docs.some((d) => d.kind === 'residence_permit')) return 'residence_permit';
  if (docs.some((d) => d.kind === 'birth_certificate')) return 'birth_certificate';
  return 'id_card';
}

/** What a slot says it accepts: weapp picks photos, and PDFs only from a chat where it can. */
export function acceptedHint(h5: boolean, pdfFromChat: boolean): string {
  if (h5) return 'JPG、PNG 或 PDF，不超过 5 MB';
  return pdfFromChat ? 'JPG 或 PNG 照片，不超过 5 MB；PDF 可从微信聊天记录选择' : 'JPG 或 PNG 照片，不超过 5 MB';
}

function Slot({
  kind,
  doc,
  preview,
  busy,
  error,
  notice,
  pdfFromChat,
  onPick,
  onInput,
  onSettings,
  onDismiss,
}: {
  kind: DocumentKind;
  doc?: DocumentView;
  /** A local thumbnail of the photo just uploaded. */
  preview?: string;
  busy: boolean;
  error?: string;
  notice?: PickNoticeState | null;
  pdfFromChat: boolean;
  onPick: (from: PickSource) => void;
  onInput: (input: HTMLInputElement) => void;
  onSettings: () => void;
  onDismiss: () => void;
}) {
  const h5 = process.env.TARO_ENV === 'h5';
  const done = usable(doc);
  const again = doc?.status === 'needs_resubmission';
  const label = DOCUMENT_KIND_TEXT[kind];
  return (
    <Field label={label} error={error}>
      {again ? (
        <View className='hf-notice' role='alert' data-testid={`reason-${kind}`}>
          <Text>工作人员请您重新上传：{doc?.reason ?? '照片不清晰'}</Text>
        </View>
      ) : null}
      <View
        className={`hf-upload${done ? ' hf-upload--done' : ''}`}
        data-testid={`slot-${kind}`}
        onClick={h5 ? undefined : () => !busy && onPick('media')}
      >
        {busy ? (
          <Text>正在上传…</Text>
        ) : done ? (
          <>
            {preview ? <Image className='hf-upload__thumb' src={preview} mode='aspectFit' data-testid={`thumb-${kind}`} /> : <Text className='hf-upload__plus'>✓</Text>}
            <Text>{doc?.status === 'approved' ? '已通过' : '已上传，等待审核'}</Text>
            {doc?.status === 'approved' ? null : <Text className='hf-muted'>点击可重新选择</Text>}
          </>
        ) : (
          <>
            <Text className='hf-upload__plus'>＋</Text>
            <Text>{again ? '重新拍照或选择照片' : '拍照或从相册选择'}</Text>
            <Text className='hf-muted'>{acceptedHint(h5, pdfFromChat)}</Text>
          </>
        )}
        {h5 && !busy ? (
          <input
            className='hf-upload__file'
            type='file'
            accept='image/jpeg,image/png,application/pdf'
            aria-label={`上传${label}`}
            data-testid={`file-${kind}`}
            onChange={(e) => onInput(e.target as HTMLInputElement)}
          />
        ) : null}
      </View>
      {!h5 && pdfFromChat && !busy ? (
        <View className='hf-upload__alt' data-testid={`chat-${kind}`} onClick={() => onPick('chat')}>
          <Text>从聊天记录选择 PDF</Text>
        </View>
      ) : null}
      {notice?.kind === kind ? <PickNotice advice={notice.advice} onSettings={onSettings} onDismiss={onDismiss} /> : null}
    </Field>
  );
}

export default function DocumentsPage() {
  const { params } = useRouter();
  const personId = params.personId ?? '';
  const evidence = params.evidence === '1';
  const types = evidence ? EVIDENCE_TYPES : IDENTITY_TYPES;
  const [docs, setDocs] = useState<DocumentView[]>([]);
  const [type, setType] = useState<DocType>(evidence ? (params.doc === 'birth_certificate' ? 'birth_certificate' : 'hukou') : 'id_card');
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busyKind, setBusyKind] = useState<DocumentKind | null>(null);
  const [slotErrors, setSlotErrors] = useState<Partial<Record<DocumentKind, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Thumbnails of the photos uploaded on this visit (local files; nothing is downloaded).
  const [previews, setPreviews] = useState<Partial<Record<DocumentKind, string>>>({});

  const load = () => {
    if (!personId) {
      setLoadError('缺少参保人信息，请从首页重新进入');
      setLoading(false);
      return;
    }
    setLoading(true);
    setLoadError(null);
    resident({ action: 'listDocuments', personId })
      .then((r) => {
        setDocs(r.documents);
        const found = r.documents.length ? typeOf(r.documents) : null;
        if (found && types.some((t) => t.value === found)) setType(found);
      })
      .catch((e) => {
        // A parent whose claim is still pending may add evidence but not read the person's documents.
        if (evidence && e instanceof CloudCallError && e.code === 'AUTHORIZATION_PENDING') setDocs([]);
        else setLoadError(e);
      })
      .finally(() => setLoading(false));
  };
  useEffect(load, [personId]);

  async function upload(kind: DocumentKind, picked: PickedFile) {
    setFormError(null);
    setBusyKind(kind);
    // An ordinary phone photo is over 5 MB: made smaller here first.
    const p = await compressPhoto(picked);
    setBusyKind(null);
    const ext = extensionOf(p.name, p.type);
    if (!ext) return setSlotErrors((e) => ({ ...e, [kind]: '只能上传 JPG、PNG 图片或 PDF 文件' }));
    if (p.size > MAX_BYTES) return setSlotErrors((e) => ({ ...e, [kind]: '文件不能超过 5 MB，请重新拍照或压缩后上传' }));
    if (p.size === 0) return setSlotErrors((e) => ({ ...e, [kind]: '文件是空的，请重新选择' }));
    setSlotErrors((e) => ({ ...e, [kind]: undefined }));
    setBusyKind(kind);
    try {
      const ticket = await resident({ action: 'requestUpload', personId, kind, ext });
      if (p.size > ticket.maxBytes) throw new Error('too large');
      const { fileID } = await uploadFile(p.source, ticket.cloudPath);
      const view = await resident({ action: 'attachDocument', personId, kind, fileID });
      setDocs((list) => [...list.filter((d) => d.kind !== kind), view]);
      const preview = previewOf(p);
      if (preview) setPreviews((x) => ({ ...x, [kind]: preview }));
    } catch (e) {
      setSlotErrors((x) => ({ ...x, [kind]: userMessage(e) }));
    } finally {
      setBusyKind(null);
    }
  }

  const picker = useDocumentPicker((kind, file) => void upload(kind, file));

  function next() {
    if (!complete(type, docs)) {
      const missing = SLOTS[type].filter((k) => !usable(docs.find((d) => d.kind === k)));
      setFormError(`请上传${missing.map((k) => DOCUMENT_KIND_TEXT[k]).join('和')}`);
      return;
    }
    // weapp: WeChat asks (inside this tap) whether staff may message the result of the review;
    // a refusal changes nothing here.
    if (process.env.TARO_ENV === 'weapp' && docs.some((d) => d.status === 'pending_review')) {
      void subscribeReminders(['document_result']).catch(() => undefined);
    }
    if (params.flow === '1') {
      const others = (params.with ?? '').split(',').filter((id) => id && id !== personId);
      void Taro.navigateTo({ url: `/pages/quote/index?persons=${[...others, personId].join(',')}` });
    }
    else if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
    else void Taro.reLaunch({ url: '/pages/index/index' });
  }

  return (
    <PageShell
      title={evidence ? '上传证明材料' : '上传证件'}
      subtitle={evidence ? '证明您是孩子的父母或监护人：孩子的户口簿页或出生医学证明' : '首次参保需要上传身份证件照片'}
      loading={loading}
      error={loadError}
      onRetry={load}
    >
      {params.flow === '1' ? <StepBar current={1} /> : null}

      <View className='hf-card'>
        <Field label='证件类型'>
          <Choices
            name='doc-type'
            columns={types.length}
            value={type}
            onChange={(v) => {
              setType(v);
              setFormError(null);
            }}
            options={types}
          />
        </Field>
        {SLOTS[type].map((kind) => (
          <Slot
            key={kind}
            kind={kind}
            doc={docs.find((d) => d.kind === kind)}
            preview={previews[kind]}
            busy={busyKind === kind}
            error={slotErrors[kind]}
            notice={picker.notice}
            pdfFromChat={picker.pdfFromChat}
            onPick={(from) => void picker.pick(kind, from)}
            onInput={(input) => picker.pickFromInput(kind, input)}
            onSettings={() => void picker.openSettings()}
            onDismiss={picker.dismiss}
          />
        ))}
        <Text className='hf-muted'>照片仅用于参保审核，审核完成后删除；请确保四角完整、文字清晰。</Text>
      </View>

      {formError ? (
        <View className='hf-form-error' role='alert'>
          <Text>{formError}</Text>
        </View>
      ) : null}

      <View className='hf-actions'>
        <Button type='primary' size='large' block disabled={!!busyKind} onClick={next}>
          {params.flow === '1' ? '下一步' : '完成'}
        </Button>
      </View>
    </PageShell>
  );
}
