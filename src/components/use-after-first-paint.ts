/**
 * False in a page's first render, true shortly after it has been painted: a page renders what a
 * resident looks for first (the home: the family's status) and the parts below the fold one frame
 * later. On a slow phone the first commit is then smaller, and its style, layout and paint sooner
 * (issue 15: the home's status under the phone profile). Everything is still rendered: the rest
 * follows at once, before anyone could scroll to it.
 */
import { useEffect, useState } from 'react';

export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    // A timer, not a microtask: the browser paints the first commit before it fires.
    const t = setTimeout(() => setPainted(true), 0);
    return () => clearTimeout(t);
  }, []);
  return painted;
}
