// The reactive translation helper. The current language lives in one $state
// so every component that calls t() re-renders when the user switches.

import type { Language } from "../bindings";
import { formatInt } from "../format";
import { en } from "./en";
import { nl } from "./nl";

export type MessageKey = keyof typeof nl;
export type Params = Record<string, string | number>;

/** Base names of the plural pairs: "catalog.count" for "catalog.count.one"/".other". */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];

const dictionaries: Record<Language, Record<MessageKey, string>> = { nl, en };

let current = $state<Language>(initialLanguage(null, typeof navigator === "undefined" ? undefined : navigator.language));
// Until AppInfo tells the saved choice, the OS language decides; say so to <html> too.
if (typeof document !== "undefined") document.documentElement.lang = current;

/** The saved choice wins; without one, Dutch for a Dutch OS and English otherwise. */
export function initialLanguage(saved: Language | null, osLanguage: string | undefined): Language {
  if (saved) return saved;
  return osLanguage?.toLowerCase().startsWith("nl") ? "nl" : "en";
}

/** Read-only view of the current language; reading it inside a component subscribes to changes. */
export const i18n = {
  get lang(): Language {
    return current;
  },
};

export function setLanguage(lang: Language): void {
  current = lang;
  // Screen readers and hyphenation use <html lang>.
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/** True when the key exists; lets callers translate open-ended codes with a fallback. */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(nl, key);
}

/** Translates a key; {name} placeholders are filled from params. */
export function t(key: MessageKey, params?: Params): string {
  const text = dictionaries[current][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Translates a plural pair; {count} is the number formatted for the current language. */
export function tc(key: PluralKey, count: number, params?: Params): string {
  const form: MessageKey = count === 1 ? `${key}.one` : `${key}.other`;
  return t(form, { ...params, count: formatInt(count, current) });
}
