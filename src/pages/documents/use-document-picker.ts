/**
 * Picking a file for a document slot. weapp: a photo (camera or album) or a PDF from a WeChat
 * chat, through services/picker; a refused permission or privacy consent becomes advice shown
 * beside the slot (with "去设置" where the settings can help), a cancel stays silent.
 * H5: the file input's change event.
 */
import { useState } from 'react';
import type { DocumentKind } from '@contracts/resident';
import {
  canPickPdfFromChat,
  openPermissionSettings,
  PICK_ADVICE,
  pickImage,
  pickPdfFromChat,
  PickError,
  type PickAdvice,
  type PickedFile,
} from '@/services/picker';

export interface PickNoticeState {
  kind: DocumentKind;
  advice: PickAdvice;
}

export type PickSource = 'media' | 'chat';

export function useDocumentPicker(onPicked: (kind: DocumentKind, file: PickedFile) => void) {
  const [notice, setNotice] = useState<PickNoticeState | null>(null);

  async function pick(kind: DocumentKind, from: PickSource): Promise<void> {
    setNotice(null);
    try {
      const file = from === 'chat' ? await pickPdfFromChat() : await pickImage();
      if (file) onPicked(kind, file);
    } catch (e) {
      setNotice({ kind, advice: e instanceof PickError ? e.advice : PICK_ADVICE.failed });
    }
  }

  /** H5: the file chosen in the slot's <input type="file">. */
  function pickFromInput(kind: DocumentKind, input: HTMLInputElement): void {
    const f = input.files?.[0];
    // Cleared so that choosing the same file again fires another change event.
    input.value = '';
    if (f) onPicked(kind, { source: f, name: f.name, size: f.size, type: f.type });
  }

  async function openSettings(): Promise<void> {
    await openPermissionSettings();
    // Back from the settings: the next tap tries again with whatever was allowed.
    setNotice(null);
  }

  return {
    notice,
    pick,
    pickFromInput,
    openSettings,
    dismiss: () => setNotice(null),
    /** Whether a PDF can be picked (weapp: from a chat); H5's file input always takes one. */
    pdfFromChat: canPickPdfFromChat(),
  };
}
