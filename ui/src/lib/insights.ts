// The Insights page's data: the four insights commands (typed against bindings.ts) and the
// shaping of their results into what the charts and the number tables need. No fee or
// sentiment rule lives here: every figure comes computed from Rust; this only lines numbers
// up by month and channel, formats them, and writes them out as CSV.

import { invoke, isTauri } from "@tauri-apps/api/core";
import type {
  BreakEvenView,
  ChannelFeeSchedules,
  Comparison,
  ComparisonRow,
  FeeReport,
  InsightsChannel,
  InsightsFilter,
  Language,
  MatchSummary,
  Money,
  OrderFeesView,
  OverlapView,
  ReviewReport,
  ScheduleDraft,
  FieldError,
  WhatIf,
  WhatIfResult,
} from "./bindings";
import { formatInt, formatMoney, formatPercent } from "./format";
import { t } from "./i18n/index.svelte";
import { KanaalError, NO_BACKEND, toKanaalError } from "./ipc";

async function call<T>(command: string, filter: InsightsFilter): Promise<T> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<T>(command, { filter });
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

export const insightsComparison = (f: InsightsFilter) => call<Comparison>("insights_comparison", f);
export const insightsFees = (f: InsightsFilter) => call<FeeReport>("insights_fees", f);
export const insightsReviews = (f: InsightsFilter) => call<ReviewReport>("insights_reviews", f);
export const insightsOverlap = (f: InsightsFilter) => call<OverlapView>("insights_overlap", f);

export const insightsBreakEven = (f: InsightsFilter) => call<BreakEvenView>("insights_break_even", f);

/** Calls a command with arguments of its own (not only the filter). */
async function callWith<T>(command: string, args: Record<string, unknown>): Promise<T> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

/** Every channel's fee schedule versions, newest first, amounts written for `lang`. */
export const feeSchedules = (lang: Language) =>
  callWith<ChannelFeeSchedules[]>("insights_fee_schedules", { decimalComma: lang === "nl" });
/** The fields of a new schedule version that are not right (checked by Rust as you type). */
export const checkFeeSchedule = (draft: ScheduleDraft) => callWith<FieldError[]>("insights_check_fee_schedule", { draft });
/** Saves a new schedule version; the fields that are not right when it was not saved. */
export const saveFeeSchedule = (draft: ScheduleDraft) => callWith<FieldError[]>("insights_save_fee_schedule", { draft });
export const whatIf = (filter: InsightsFilter, scenario: WhatIf) => callWith<WhatIfResult>("insights_what_if", { filter, scenario });
/** Whether the merchant uses the KOR (VAT on fees is then a cost). */
export const getKor = () => callWith<boolean>("insights_kor", {});
export const setKor = (on: boolean) => callWith<null>("insights_set_kor", { on });

/** One order's expected and charged fees (store id), for the order dialog on the Orders page. */
export const orderFees = (order: number) => callWith<OrderFeesView>("insights_order_fees", { order });

/**
 * Goes to the Insights page and brings its fee section into view once it has loaded (the
 * section appears when the page's figures arrive); gives up quietly after a few seconds.
 */
export async function openFeeSection(go: () => Promise<void>, waitMs = 5000): Promise<boolean> {
  await go();
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    const heading = document.getElementById("insights-fees");
    if (heading) {
      heading.scrollIntoView({ block: "start" });
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Recognises the same person across channels' customer records and stores the result. */
export async function matchCustomers(): Promise<MatchSummary> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<MatchSummary>("insights_match_customers");
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

// --- period ---------------------------------------------------------------------------------

export type PeriodPreset = "all" | "30d" | "90d" | "12m" | "year";
export const PERIOD_PRESETS: PeriodPreset[] = ["all", "30d", "90d", "12m", "year"];

function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The inclusive days of a preset period ending `today`; `null` ends mean open. */
export function presetPeriod(preset: PeriodPreset, today: Date): { from: string | null; to: string | null } {
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  switch (preset) {
    case "all":
      return { from: null, to: null };
    case "30d":
      start.setDate(start.getDate() - 29);
      break;
    case "90d":
      start.setDate(start.getDate() - 89);
      break;
    case "12m":
      start.setFullYear(start.getFullYear() - 1);
      start.setDate(start.getDate() + 1);
      break;
    case "year":
      start.setMonth(0, 1);
      break;
  }
  return { from: isoDay(start), to: isoDay(today) };
}

// --- channels -------------------------------------------------------------------------------

/** The merchant's name for a channel kind, falling back to the code. */
export function channelName(kind: string, channels: InsightsChannel[]): string {
  return channels.find((c) => c.kind === kind)?.name ?? kind;
}

// --- tables and CSV -------------------------------------------------------------------------

/** One cell: `value` is what CSV gets (plain, machine-readable), `text` what the page shows. */
export interface Cell {
  value: string;
  text: string;
}

export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
}

/** The numbers behind a chart. */
export interface DataTable {
  columns: Column[];
  rows: Cell[][];
}

export const cell = (value: string | number | null, text?: string): Cell => {
  const v = value === null ? "" : String(value);
  return { value: v, text: text ?? v };
};

export const moneyCell = (m: Money, lang: Language): Cell => cell(m.amount, formatMoney(m, lang));

/** A fraction ("0.1523") as a percent cell; CSV keeps the fraction. */
export const fractionCell = (fraction: string | null, lang: Language): Cell =>
  cell(fraction, formatPercent(fraction === null ? null : fractionToPercent(fraction), lang));

/** "0.1523" -> "15.23", by moving the decimal point in the string (no float rounding). */
export function fractionToPercent(fraction: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(fraction.trim());
  if (!m) return fraction;
  const [, sign, int = "", frac = ""] = m;
  const all = int + frac.padEnd(2, "0");
  const head = all.slice(0, int.length + 2).replace(/^0+(?=\d)/, "") || "0";
  const tail = all.slice(int.length + 2);
  return `${sign}${head}${tail ? "." + tail : ""}`;
}

/** A score -1..1 shown with a sign and two decimals in the page's language. */
export function formatScore(score: number | null, lang: Language): string {
  if (score === null || !Number.isFinite(score)) return "—";
  const text = (score > 0 ? "+" : "") + score.toFixed(2);
  return lang === "nl" ? text.replace(".", ",") : text;
}

/** Quotes a CSV field when it holds a separator, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The table as CSV: a header row of the column labels, then the plain values; CRLF lines. */
export function toCsv(table: DataTable): string {
  const lines = [table.columns.map((c) => csvField(c.label)).join(",")];
  for (const row of table.rows) lines.push(row.map((c) => csvField(c.value)).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** A file name from a chart title: "Fees per month" -> "kanaal-fees-per-month.csv". */
export function csvFileName(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `kanaal-${slug || "table"}.csv`;
}

/** Saves the table as a CSV download (a Blob link); the BOM lets spreadsheet apps read UTF-8. */
export function downloadCsv(table: DataTable, title: string): void {
  const blob = new Blob(["\ufeff", toCsv(table)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = csvFileName(title);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// --- time series ----------------------------------------------------------------------------

export interface MonthPoint {
  channel: string;
  month: string; // YYYY-MM
  value: number;
}

export interface MonthSeries {
  months: string[];
  series: { channel: string; values: (number | null)[] }[];
}

/** Lines points up on one month axis (sorted, without gaps); a month a channel has no data for is null. */
export function monthSeries(points: MonthPoint[]): MonthSeries {
  const present = [...new Set(points.map((p) => p.month))].filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  const months: string[] = [];
  const first = present[0];
  const last = present[present.length - 1];
  if (first !== undefined && last !== undefined) {
    let y = Number(first.slice(0, 4));
    let m = Number(first.slice(5, 7));
    for (;;) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      months.push(key);
      if (key >= last || months.length > 600) break;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  const index = new Map(months.map((m, i) => [m, i]));
  const channels = [...new Set(points.map((p) => p.channel))].sort();
  const series = channels.map((channel) => {
    const values: (number | null)[] = months.map(() => null);
    for (const p of points) {
      const i = index.get(p.month);
      if (p.channel === channel && i !== undefined) values[i] = (values[i] ?? 0) + p.value;
    }
    return { channel, values };
  });
  return { months, series };
}

/** The first day of a `YYYY-MM` month, in seconds since 1970 (uPlot's time axis). */
export function monthToSeconds(month: string): number {
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1) / 1000;
}

/** A month series as a table: one row per month, one column per channel. */
export function monthTable(
  s: MonthSeries,
  monthLabel: string,
  names: (channel: string) => string,
  show: (v: number) => string,
): DataTable {
  return {
    columns: [{ key: "month", label: monthLabel }, ...s.series.map((x) => ({ key: x.channel, label: names(x.channel), numeric: true }))],
    rows: s.months.map((m, i) => [
      cell(m),
      ...s.series.map((x) => {
        const v = x.values[i] ?? null;
        return v === null ? cell(null, "—") : cell(String(v), show(v));
      }),
    ]),
  };
}

/** A distinct colour per channel position, readable on light and dark backgrounds and in print. */
export const SERIES_COLOURS = ["#8a5533", "#2f6f9f", "#3d8b5a", "#b0702a", "#7a4f9a", "#a23b3b", "#4f7f7f"];

// --- the comparison -------------------------------------------------------------------------

/** The comparison as a table: one row per channel, one column per figure (also its CSV). */
export function comparisonTable(
  rows: ComparisonRow[],
  name: (kind: string) => string,
  aspect: (code: string) => string,
  lang: Language,
): DataTable {
  const num = (key: string, label: string) => ({ key, label, numeric: true });
  return {
    columns: [
      { key: "channel", label: t("insights.col.channel") },
      num("orders", t("insights.metric.orders")),
      num("revenue", t("insights.metric.revenue")),
      num("fees", t("insights.metric.fees")),
      num("net", t("insights.metric.net")),
      num("takeRate", t("insights.metric.takeRate")),
      num("reviews", t("insights.metric.reviews")),
      num("sentiment", t("insights.metric.sentiment")),
      { key: "complaints", label: t("insights.metric.complaints") },
      num("customers", t("insights.metric.customers")),
      num("unique", t("insights.metric.unique")),
    ],
    rows: rows.map((r) => [
      cell(name(r.channel)),
      cell(r.orders, formatInt(r.orders, lang)),
      moneyCell(r.revenue, lang),
      moneyCell(r.fees, lang),
      moneyCell(r.netContribution, lang),
      fractionCell(r.takeRate, lang),
      cell(r.reviews, formatInt(r.reviews, lang)),
      cell(r.sentiment, formatScore(r.sentiment, lang)),
      cell(r.topComplaints.map(aspect).join("; ")),
      cell(r.customers, formatInt(r.customers, lang)),
      cell(r.uniqueCustomers, formatInt(r.uniqueCustomers, lang)),
    ]),
  };
}

/** An axis or legend label for euros drawn from a float (chart ticks only; tables use Money). */
export function chartEuros(v: number, lang: Language): string {
  return new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB", {
    style: "currency",
    currency: "EUR",
    maximumFractionDigits: Math.abs(v) < 10 && v !== 0 ? 2 : 0,
  }).format(v);
}

/** Subtracts two decimal strings exactly (to the cent and beyond), for "charged − expected". */
export function subtractDecimal(a: string, b: string): string {
  const scale = (s: string) => (s.split(".")[1] ?? "").length;
  const places = Math.max(scale(a), scale(b));
  const toInt = (s: string) => {
    const neg = s.trim().startsWith("-");
    const [i, f = ""] = s.trim().replace(/^[+-]/, "").split(".");
    const v = BigInt((i || "0") + f.padEnd(places, "0"));
    return neg ? -v : v;
  };
  const d = toInt(a) - toInt(b);
  const neg = d < 0n;
  const digits = (neg ? -d : d).toString().padStart(places + 1, "0");
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${neg ? "-" : ""}${int}${places ? "." + frac : ""}`;
}

// --- overlap --------------------------------------------------------------------------------

/** Repeat rate in percent (0 when nobody ordered). */
export function repeatPercent(r: { personsWithOrders: number; repeatPersons: number }): number {
  return r.personsWithOrders === 0 ? 0 : (r.repeatPersons / r.personsWithOrders) * 100;
}

/** The numbers behind the overlap charts. */
export function overlapTables(
  o: OverlapView,
  name: (kind: string) => string,
  lang: Language,
): { reach: DataTable; upset: DataTable; matrix: DataTable; repeat: DataTable; movement: DataTable } {
  const n = (v: number) => cell(v, formatInt(v, lang));
  const channel = { key: "channel", label: t("insights.col.channel") };
  const num = (key: string, label: string) => ({ key, label, numeric: true });
  return {
    reach: {
      columns: [channel, num("persons", t("insights.col.people")), num("onlyHere", t("insights.col.onlyHere"))],
      rows: o.reach.map((r) => [cell(name(r.channel)), n(r.persons), n(r.onlyHere)]),
    },
    upset: {
      columns: [{ key: "channels", label: t("insights.col.channels") }, num("persons", t("insights.col.people"))],
      rows: o.intersections.map((s) => [cell(s.channels.map(name).join(" + ")), n(s.persons)]),
    },
    matrix: {
      columns: [channel, ...o.channels.map((c) => num(c, name(c)))],
      rows: o.channels.map((c, i) => [cell(name(c)), ...(o.matrix[i] ?? []).map(n)]),
    },
    repeat: {
      columns: [
        channel,
        num("persons", t("insights.col.people")),
        num("repeat", t("insights.col.repeat")),
        num("rate", t("insights.repeat")),
      ],
      rows: o.reach.map((r) => {
        const pct = repeatPercent(r);
        return [
          cell(name(r.channel)),
          n(r.personsWithOrders),
          n(r.repeatPersons),
          cell((pct / 100).toFixed(4), `${formatInt(Math.round(pct), lang)}%`),
        ];
      }),
    },
    movement: {
      columns: [
        { key: "from", label: t("insights.col.from") },
        { key: "to", label: t("insights.col.to") },
        num("persons", t("insights.col.people")),
      ],
      rows: o.movement.map((m) => [cell(name(m.from)), cell(name(m.to)), n(m.persons)]),
    },
  };
}

// --- fee schedules in plain words -------------------------------------------------------------

/** Whether a typed amount is empty or zero ("", "0", "0,00"). */
export function isZeroAmount(text: string): boolean {
  return text.trim() === "" || /^[€\s]*0+([.,]0*)?\s*$/.test(text.trim());
}

/**
 * A schedule's rules as sentences a shopkeeper reads: commission per category and price band,
 * fixed fees, minimum, payment fee, subscription and VAT on fees. Amounts are shown as Rust
 * wrote them (with the decimal comma in Dutch); only non-zero fees are mentioned.
 */
export function describeSchedule(r: ScheduleDraft): string[] {
  const eur = (a: string) => `€ ${a}`;
  const lines: string[] = [];
  const basis = t(r.commissionInclVat ? "insights.sched.basisIncl" : "insights.sched.basisExcl");
  const shipping = r.commissionInclShipping ? " " + t("insights.sched.basisShipping") : "";
  for (const c of r.commission) {
    const who = c.category.trim() === "" ? (r.commission.length > 1 ? t("insights.sched.otherCategories") : t("insights.sched.allCategories")) : c.category;
    const bands = c.bands.map((b, i) => {
      const from = i === 0 ? null : c.bands[i - 1]?.upTo;
      const range =
        c.bands.length === 1
          ? ""
          : b.upTo.trim() === ""
            ? t("insights.sched.above", { price: eur(from ?? "") }) + ": "
            : t("insights.sched.upTo", { price: eur(b.upTo) }) + ": ";
      const fixed = isZeroAmount(b.fixedPerItem) ? "" : " " + t("insights.sched.plusPerItem", { amount: eur(b.fixedPerItem) });
      return `${range}${b.percent}%${fixed}`;
    });
    lines.push(t("insights.sched.commission", { who, bands: bands.join("; "), basis: basis + shipping }));
  }
  if (r.commission.length === 0) lines.push(t("insights.sched.noCommission"));
  if (!isZeroAmount(r.minimumPerItem)) lines.push(t("insights.sched.minimum", { amount: eur(r.minimumPerItem) }));
  if (!isZeroAmount(r.fixedPerOrder)) lines.push(t("insights.sched.fixedPerOrder", { amount: eur(r.fixedPerOrder) }));
  if (!isZeroAmount(r.listingPerItem)) lines.push(t("insights.sched.listing", { amount: eur(r.listingPerItem) }));
  if (!isZeroAmount(r.fulfilmentPerItem)) lines.push(t("insights.sched.fulfilmentItem", { amount: eur(r.fulfilmentPerItem) }));
  if (!isZeroAmount(r.fulfilmentPerOrder)) lines.push(t("insights.sched.fulfilmentOrder", { amount: eur(r.fulfilmentPerOrder) }));
  if (!isZeroAmount(r.paymentPercent) || !isZeroAmount(r.paymentFixed)) {
    lines.push(
      t("insights.sched.payment", {
        percent: r.paymentPercent.trim() || "0",
        amount: eur(r.paymentFixed.trim() || "0"),
      }),
    );
  }
  if (!isZeroAmount(r.subscriptionPerMonth)) lines.push(t("insights.sched.subscription", { amount: eur(r.subscriptionPerMonth) }));
  lines.push(t(`insights.sched.vat.${r.feeVat}`) + (r.feeVat === "dutch_vat" ? " " + t(r.quotedInclVat ? "insights.sched.quotedIncl" : "insights.sched.quotedExcl") : ""));
  return lines;
}
