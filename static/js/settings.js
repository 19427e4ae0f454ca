// Limits the server states on every page (<html data-...>), so the phone never keeps its own copy.
const data = document.documentElement.dataset;

/** Milliseconds without use after which pulled records are wiped (the server's SESSION_IDLE_MINUTES). */
export const IDLE_MS = Number(data.idleMinutes || 30) * 60 * 1000;

/** Milliseconds a phone's clock may run ahead before a time entered counts as in the future. */
export const CLOCK_SKEW_MS = Number(data.clockSkewSeconds || 120) * 1000;

/** The school's time zone: times are entered and shown in it (the server's SCHOOL_TIMEZONE). */
export const SCHOOL_TIMEZONE = data.schoolTimezone || "Europe/London";
