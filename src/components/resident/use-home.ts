/**
 * The resident home's data: `resident.home`, refreshed when the page shows again. `home` itself
 * refuses with CONSENT_REQUIRED until the privacy notice is accepted (one call, not a separate
 * consentStatus first: one round trip less before the status, issue 15).
 *
 * H5 first screen (issue 15): when the call started at boot (services/early-call.ts) has already
 * brought the reply by the time the page mounts, the first render shows the status. A loading
 * state first was one more React commit, layout and paint on a slow phone's main thread before
 * the status.
 */
import { useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import type { Home } from '@contracts/resident';
import { resident, residentArrived } from '@/services/resident';
import { CloudCallError } from '@/services/errors';

// Taro's page hooks (absent where only the H5 API library is loaded, e.g. unit tests).
const useShow: (cb: () => void) => void = typeof useDidShow === 'function' ? useDidShow : () => undefined;
const useHide: (cb: () => void) => void = typeof useDidHide === 'function' ? useDidHide : () => undefined;

export interface HomeState {
  home: Home | null;
  needsConsent: boolean;
  loading: boolean;
  error: unknown;
}

const LOADING: HomeState = { home: null, needsConsent: false, loading: true, error: null };

/** What a settled call shows: the home, the consent request, or the error. */
export function homeState(outcome: { data: Home } | { error: unknown }): HomeState {
  if ('data' in outcome) return { home: outcome.data, needsConsent: false, loading: false, error: null };
  const e = outcome.error;
  if (e instanceof CloudCallError && e.code === 'CONSENT_REQUIRED') return { home: null, needsConsent: true, loading: false, error: null };
  return { home: null, needsConsent: false, loading: false, error: e };
}

export function useHome(): HomeState & { reload: (quiet?: boolean) => Promise<void> } {
  const [state, setState] = useState<HomeState>(() => {
    const arrived = residentArrived({ action: 'home' });
    return arrived ? homeState(arrived) : LOADING;
  });

  const reload = async (quiet = false) => {
    // Quiet: a refresh keeps what is on screen until the new reply replaces it.
    if (!quiet) setState(LOADING);
    let outcome: { data: Home } | { error: unknown };
    try {
      outcome = { data: await resident({ action: 'home' }) };
    } catch (error) {
      outcome = { error };
    }
    setState(homeState(outcome));
  };

  useEffect(() => {
    if (state.loading) void reload();
  }, []);
  // Back from a flow: refresh the statuses without the loading flash. Only after the page was
  // left: its first show must not fetch again what the first render already shows.
  const left = useRef(false);
  useHide(() => {
    left.current = true;
  });
  useShow(() => {
    if (!left.current) return;
    left.current = false;
    if (state.home || state.needsConsent) void reload(true);
  });

  return { ...state, reload };
}
