import { useEffect, useState } from 'react';

/** Returns `Date.now()`, refreshed every `intervalMs` while the component is mounted. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Returns `value`, updated at most once per `intervalMs`, always ending on the latest value. */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const [lastUpdate, setLastUpdate] = useState(0);

  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, lastUpdate + intervalMs - Date.now());
    const timer = setTimeout(() => {
      setShown(value);
      setLastUpdate(Date.now());
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, lastUpdate, intervalMs]);

  return shown;
}
