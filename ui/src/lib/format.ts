// Number, money, size and date formatting for the two UI languages.
//
// Money arrives from Rust as a decimal string; it is formatted by string
// arithmetic only, so no amount ever passes through a binary float and
// "0.135" can never turn into 0.13 behind our back.

import type { Language, Money } from "./bindings";

interface Separators {
  group: string;
  decimal: string;
}

const SEPARATORS: Record<Language, Separators> = {
  nl: { group: ".", decimal: "," },
  en: { group: ",", decimal: "." },
};

const DATE_LOCALE: Record<Language, string> = { nl: "nl-NL", en: "en-GB" };

/** A decimal split into parts: sign, integer digits (no leading zeros) and fraction digits. */
export interface Decimal {
  negative: boolean;
  int: string;
  frac: string;
}

/** Parses "12", "-3.5", "+0.125", ".5"; returns null for anything else (including exponents). */
export function parseDecimal(text: string): Decimal | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const intDigits = m[2] ?? "";
  const fracDigits = m[3] ?? "";
  if (intDigits === "" && fracDigits === "") return null;
  return {
    negative: m[1] === "-",
    int: intDigits.replace(/^0+(?=\d)/, "") || "0",
    frac: fracDigits,
  };
}

/** Adds one to a string of digits ("199" -> "200"), carrying as needed. */
function incrementDigits(digits: string): string {
  const out = digits.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === "9") {
      out[i] = "0";
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
  }
  return "1" + out.join("");
}

/**
 * Rounds to `places` fraction digits, half to even (banker's rounding, as
 * the accounting side does), so 0.125 -> 0.12 and 0.135 -> 0.14.
 */
export function roundHalfEven(value: Decimal, places: number): Decimal {
  if (value.frac.length <= places) {
    const frac = value.frac.padEnd(places, "0");
    return { ...value, negative: value.negative && !/^0*$/.test(value.int + frac), frac };
  }
  const kept = value.frac.slice(0, places);
  const rest = value.frac.slice(places);
  const first = rest.charCodeAt(0) - 48;
  const restIsExactHalf = first === 5 && /^0*$/.test(rest.slice(1));
  const digits = value.int + kept;
  const lastDigit = Number(digits[digits.length - 1]);
  const roundUp = first > 5 || (first === 5 && !restIsExactHalf) || (restIsExactHalf && lastDigit % 2 === 1);
  const rounded = roundUp ? incrementDigits(digits) : digits;
  const intPart = rounded.slice(0, rounded.length - places) || "0";
  const fracPart = places > 0 ? rounded.slice(rounded.length - places) : "";
  const isZero = /^0*$/.test(intPart + fracPart);
  return {
    // "-0.001" rounds to zero, and zero has no sign.
    negative: value.negative && !isZero,
    int: intPart.replace(/^0+(?=\d)/, ""),
    frac: fracPart,
  };
}

function groupDigits(int: string, group: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
}

/** Integer with thousands separators: 1234567 -> "1.234.567" (nl) / "1,234,567" (en). */
export function formatInt(n: number, lang: Language): string {
  if (!Number.isFinite(n)) return "—";
  const whole = Math.trunc(n);
  const digits = groupDigits(String(Math.abs(whole)), SEPARATORS[lang].group);
  return whole < 0 ? `-${digits}` : digits;
}

/** The amount with two decimals and separators, without currency: "1.234,50". */
export function formatAmount(amount: string, lang: Language): string | null {
  const parsed = parseDecimal(amount);
  if (!parsed) return null;
  const r = roundHalfEven(parsed, 2);
  const sep = SEPARATORS[lang];
  const body = `${groupDigits(r.int, sep.group)}${sep.decimal}${r.frac}`;
  return r.negative ? `-${body}` : body;
}

/**
 * Money as Dutch and British shoppers expect it: "€ 1.234,50" / "€1,234.50",
 * minus sign in front ("-€ 3,00"). Other currencies show their ISO code.
 */
export function formatMoney(money: Money, lang: Language): string {
  const body = formatAmount(money.amount, lang);
  if (body === null) return `${money.currency} ${money.amount}`;
  const negative = body.startsWith("-");
  const digits = negative ? body.slice(1) : body;
  let symbol: string;
  if (money.currency === "EUR") {
    symbol = lang === "nl" ? "€ " : "€";
  } else {
    symbol = `${money.currency} `;
  }
  return `${negative ? "-" : ""}${symbol}${digits}`;
}

/** A price range; a single price when both ends format the same. */
export function formatPriceRange(min: Money | null, max: Money | null, lang: Language): string {
  if (!min && !max) return "—";
  if (!min || !max) return formatMoney((min ?? max) as Money, lang);
  const a = formatMoney(min, lang);
  const b = formatMoney(max, lang);
  return a === b ? a : `${a} – ${b}`;
}

/** Percent from a decimal string, one decimal at most: "54.3" -> "54,3%" (nl) / "54.3%" (en). */
export function formatPercent(value: string | null, lang: Language): string {
  if (value === null) return "—";
  const parsed = parseDecimal(value);
  if (!parsed) return `${value}%`;
  const r = roundHalfEven(parsed, 1);
  const sep = SEPARATORS[lang];
  const int = groupDigits(r.int, sep.group);
  const body = r.frac === "0" ? int : `${int}${sep.decimal}${r.frac}`;
  return `${r.negative ? "-" : ""}${body}%`;
}

/** Byte sizes in binary steps with SI-looking units, as file managers show them. */
export function formatBytes(bytes: number, lang: Language): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${formatInt(value, lang)} B`;
  // One decimal below 10 keeps small sizes informative without noise on big ones.
  const places = value < 10 ? 1 : 0;
  const text = formatAmountPlaces(value.toFixed(places), places, lang);
  return `${text} ${units[unit]}`;
}

function formatAmountPlaces(fixed: string, places: number, lang: Language): string {
  const parsed = parseDecimal(fixed);
  if (!parsed) return fixed;
  const r = roundHalfEven(parsed, places);
  const sep = SEPARATORS[lang];
  const int = groupDigits(r.int, sep.group);
  return places > 0 ? `${int}${sep.decimal}${r.frac}` : int;
}

/** Date and time in the shop's time zone unless told otherwise: "12 mrt 2025, 14:05". */
export function formatDateTime(iso: string, lang: Language, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(date);
}

/**
 * A decimal string as a float, only for sizing bars in charts; shown numbers
 * always go through the string formatters above.
 */
export function amountForChart(amount: string): number {
  const n = Number.parseFloat(amount);
  return Number.isFinite(n) ? n : 0;
}
