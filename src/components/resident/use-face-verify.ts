/**
 * One face verification, whatever the platform: WeChat's own screen in weapp, the simulated
 * sheet in H5. The page gives `redeem`, which sends the ticket to the server (verifySelf, or the
 * invited adult's verification); the server alone decides whether it passed.
 */
import { useState } from 'react';
import { userMessage } from '@/services/errors';
import { simulatedFaceVerify, startWeappFaceVerify, usesSimulatedFaceSheet } from '@/services/identity';

export interface FaceVerify {
  /** Starts verification of `name` / `idNumber` (opens the sheet in H5). */
  start: (name: string, idNumber: string) => Promise<void>;
  /** Props for <VerifySheet> while the simulated sheet is open; null otherwise. */
  sheet: null | {
    name: string;
    idNumber: string;
    busy: boolean;
    error: string | null;
    onResult: (pass: boolean) => void;
    onCancel: () => void;
  };
  busy: boolean;
  /** Face verification cannot be used here: why, and the document path instead. */
  unavailable: string | null;
  /** The last failure (from the sheet or from `redeem`), to show next to the action. */
  error: unknown;
  clearError: () => void;
}

export function useFaceVerify(redeem: (verifyResult: string) => Promise<void>): FaceVerify {
  const [open, setOpen] = useState<{ name: string; idNumber: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sheetError, setSheetError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function redeemSafely(ticket: string) {
    try {
      await redeem(ticket);
    } catch (e) {
      setError(e);
    }
  }

  async function start(name: string, idNumber: string) {
    setError(null);
    setUnavailable(null);
    if (usesSimulatedFaceSheet()) {
      setSheetError(null);
      setOpen({ name, idNumber });
      return;
    }
    setBusy(true);
    try {
      const outcome = await startWeappFaceVerify(name, idNumber);
      if (outcome.kind === 'unavailable') setUnavailable(outcome.message);
      else if (outcome.kind === 'result') await redeemSafely(outcome.verifyResult);
    } finally {
      setBusy(false);
    }
  }

  async function onResult(pass: boolean) {
    if (!open || busy) return;
    setBusy(true);
    setSheetError(null);
    let ticket: string;
    try {
      ticket = await simulatedFaceVerify(open.name, open.idNumber, pass);
    } catch (e) {
      setSheetError(userMessage(e));
      setBusy(false);
      return;
    }
    setOpen(null);
    try {
      await redeemSafely(ticket);
    } finally {
      setBusy(false);
    }
  }

  return {
    start,
    sheet: open ? { ...open, busy, error: sheetError, onResult: (p) => void onResult(p), onCancel: () => setOpen(null) } : null,
    busy,
    unavailable,
    error,
    clearError: () => setError(null),
  };
}
