import { describe, expect, it } from "vitest";
import { setLanguage } from "../src/lib/i18n/index.svelte";
import { pictureFailureMessage } from "../src/lib/pictures";

describe("pictureFailureMessage", () => {
  it("names the row and column and says what to do, in the window's language", () => {
    setLanguage("en");
    const notFound = { row: 12, column: "Image Src", failure: { kind: "status" as const, status: 404 } };
    expect(pictureFailureMessage(notFound)).toBe(
      "The address gives 404 (not found): check the link in row 12, column Image Src.",
    );
    setLanguage("nl");
    expect(pictureFailureMessage(notFound)).toBe(
      "Het adres geeft 404 (niet gevonden): controleer de link in rij 12, kolom Image Src.",
    );
  });

  it("tells a server problem from a wrong link and a web page from a picture", () => {
    setLanguage("en");
    const at = { row: 3, column: "Images" };
    expect(pictureFailureMessage({ ...at, failure: { kind: "status", status: 503 } })).toContain("try again later");
    expect(pictureFailureMessage({ ...at, failure: { kind: "status", status: 403 } })).toContain("make the picture public");
    expect(
      pictureFailureMessage({ ...at, failure: { kind: "not_a_picture", content_type: "text/html" } }),
    ).toContain("web page");
    expect(pictureFailureMessage({ ...at, failure: { kind: "too_large", limit_mb: 40n } })).toContain("40 MB");
    expect(pictureFailureMessage({ ...at, failure: { kind: "offline", detail: "refused" } })).toContain("stays queued");
  });
});
