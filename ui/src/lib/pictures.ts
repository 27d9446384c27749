// The pictures a product CSV names by web address: wording a failed download for the
// merchant, in the window's language, with the row and column of the file to check.

import type { FetchFailure, PictureFailure } from "./bindings";
import { t } from "./i18n/index.svelte";

/** What went wrong with one picture and what to do, naming the cell in the file. */
export function pictureFailureMessage(f: Pick<PictureFailure, "row" | "column" | "failure">): string {
  const at = { row: f.row, column: f.column };
  const failure: FetchFailure = f.failure;
  switch (failure.kind) {
    case "offline":
      return t("import.pictures.fail.offline", at);
    case "timeout":
      return t("import.pictures.fail.timeout", { ...at, seconds: Number(failure.seconds) });
    case "status": {
      const status = failure.status;
      if (status === 404 || status === 410) return t("import.pictures.fail.notFound", at);
      if (status === 401 || status === 403) return t("import.pictures.fail.refused", { ...at, status });
      if (status >= 500) return t("import.pictures.fail.serverError", { ...at, status });
      return t("import.pictures.fail.status", { ...at, status });
    }
    case "not_a_picture":
      return t("import.pictures.fail.notAPicture", at);
    case "too_large":
      return t("import.pictures.fail.tooLarge", { ...at, limit: Number(failure.limit_mb) });
    case "unreadable":
      return t("import.pictures.fail.unreadable", at);
    case "bad_address":
      return t("import.pictures.fail.badAddress", at);
  }
}
