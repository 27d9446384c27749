// Pure helpers for the catalog import: the request headers built from the chosen options, and
// what the report panel shows (counts, errors versus notices, the first problems only).

import type { Format, ImportReport, RowProblem } from "./bindings";
import { i18n, t } from "./i18n/index.svelte";
import { inputProblemText } from "./inputProblems";

export type ImportMode = "all_or_nothing" | "valid_rows_only";

export interface ImportOptions {
  format: Format;
  mode: ImportMode;
  dryRun: boolean;
}

/** The most problem rows the panel lists; the rest is summed up as "and N more". */
export const MAX_PROBLEMS_SHOWN = 200;

/** The headers `import_catalog` reads its options from. */
export function importHeaders(options: ImportOptions): Record<string, string> {
  return {
    "x-kanaal-format": options.format,
    "x-kanaal-mode": options.mode,
    "x-kanaal-dry-run": options.dryRun ? "true" : "false",
  };
}

export interface ReportSummary {
  errors: number;
  notices: number;
  /** Errors first, then notices, each in row order; at most `limit`. */
  shown: RowProblem[];
  /** Problems left out of `shown`. */
  hidden: number;
  /** The import can run as is (all or nothing) because no row has an error. */
  canImportAll: boolean;
  /** Nothing would change at all. */
  nothingToDo: boolean;
}

export function summariseReport(report: ImportReport, limit = MAX_PROBLEMS_SHOWN): ReportSummary {
  const rank = (p: RowProblem) => (p.severity === "error" ? 0 : 1);
  const sorted = [...report.problems].sort((a, b) => rank(a) - rank(b) || a.row - b.row);
  const errors = report.problems.filter((p) => p.severity === "error").length;
  const shown = sorted.slice(0, Math.max(0, limit));
  return {
    errors,
    notices: report.problems.length - errors,
    shown,
    hidden: sorted.length - shown.length,
    canImportAll: errors === 0,
    nothingToDo: report.created === 0 && report.updated === 0,
  };
}

/** Whether a file looks like something the import can read, judged by its name. */
export function isCsvName(name: string): boolean {
  return /\.(csv|txt)$/i.test(name.trim());
}

/**
 * The sentence for one problem of the import report in the window's language: the report's own
 * Dutch or English, except where the catalog refused a product for a reason the window words
 * itself (the report's sentence then carries the English reason).
 */
export function rowProblemText(p: RowProblem): string {
  if (p.kind.code === "refused" && p.kind.problem) {
    return t("import.refused", { reason: inputProblemText(p.kind.problem) });
  }
  return i18n.lang === "nl" ? p.messageNl : p.message;
}
