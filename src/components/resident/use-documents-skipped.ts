/** Whether 证件材料 was 无需 for the people on a page, from the server (see documentsSkipped). */
import { useEffect, useState } from 'react';
import { resident } from '@/services/resident';
import { documentsSkipped } from './StepBar';

/**
 * The 证件材料 step for pages reached without their people's home data (支付 straight from a home
 * card): the server's answer, the URL's hint (`skipDocs`) only until it arrives.
 */
export function useDocumentsSkipped(ids: string[], benefitYear: number | undefined, hint: boolean): boolean {
  const [skipped, setSkipped] = useState(hint);
  const key = ids.join(',');
  useEffect(() => {
    if (!ids.length) return;
    let live = true;
    resident({ action: 'home', ...(benefitYear ? { benefitYear } : {}) })
      .then((home) => {
        const answer = documentsSkipped(home.persons, ids);
        if (live && answer !== null) setSkipped(answer);
      })
      .catch(() => undefined); // the hint stays: the step bar is a guide, not a gate
    return () => {
      live = false;
    };
  }, [key, benefitYear]);
  return skipped;
}
