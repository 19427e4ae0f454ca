// The school's clock on this phone: the server's time (its offset learnt at each sync) in the
// school's time zone, whatever this phone's own clock or zone says.
import { getState } from "outbox";
import { SCHOOL_TIMEZONE } from "settings";

let offsetMs = 0;

/** Read the offset this phone last learnt from the server (call once before using the clock). */
export async function loadClock() {
  const known = await getState("clock").catch(() => null);
  if (known && Number.isFinite(known.offset_ms)) offsetMs = known.offset_ms;
}

/** Return the server's idea of now, in milliseconds. */
export function serverNow() {
  return Date.now() + offsetMs;
}

/** Return now by the server's clock as ISO-8601 UTC to the second (an item's created_at). */
export function stamp() {
  return new Date(serverNow()).toISOString().replace(/\.\d+Z$/, "Z");
}

const FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: SCHOOL_TIMEZONE, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

/** Return a moment (ms or ISO text) as a datetime-local value in the school's zone, "YYYY-MM-DDTHH:MM". */
export function schoolTime(moment) {
  const p = Object.fromEntries(FORMAT.formatToParts(new Date(moment)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Return the school's time now (plus extraMs) by the server's clock, as a datetime-local value. */
export function schoolNow(extraMs = 0) {
  return schoolTime(serverNow() + extraMs);
}
