/**
 * The season's part of the staff home (issue 13): the progress table for the chart (city and
 * district offices) and the screening summary (city, district, community). A failure here leaves
 * the rest of the home as it is: the cards just do not show.
 */
import { useEffect, useState } from 'react';
import type { ProgressTable, ScreeningSummary } from '@contracts/staffSeason';
import { staffSeason } from '@/services/staff-season';

export function useSeasonHome(role: string | undefined) {
  const [progress, setProgress] = useState<ProgressTable | null>(null);
  const [screening, setScreening] = useState<ScreeningSummary | null>(null);
  useEffect(() => {
    if (!role) return;
    if (role === 'city' || role === 'district') staffSeason({ action: 'progress' }).then(setProgress, () => setProgress(null));
    if (role === 'city' || role === 'district' || role === 'community') staffSeason({ action: 'screeningSummary' }).then(setScreening, () => setScreening(null));
  }, [role]);
  return { progress, screening };
}
