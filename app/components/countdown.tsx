import { useEffect, useState } from "react";
import { useT } from "~/i18n/react";

/**
 * Time left until `until`, ticking each minute. The first render uses the server's clock (`serverNow`) so the
 * browser hydrates the same text; after that it follows the browser's clock.
 */
export function Countdown({ until, serverNow }: { until: Date | string; serverNow: Date | string }) {
  const t = useT();
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const minutesLeft = Math.max(0, Math.floor((new Date(until).getTime() - now) / 60_000));
  return (
    <span role="timer" className="font-medium text-brand-700">
      {t("home.countdown", {
        days: Math.floor(minutesLeft / 1440),
        hours: Math.floor((minutesLeft % 1440) / 60),
        minutes: minutesLeft % 60,
      })}
    </span>
  );
}
