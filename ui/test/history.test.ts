import { describe, expect, it } from "vitest";
import { isTyping, undoKey } from "../src/lib/history.svelte";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("undoKey", () => {
  it("maps Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y", () => {
    expect(undoKey(key("z", { ctrlKey: true }))).toBe("undo");
    expect(undoKey(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(undoKey(key("y", { ctrlKey: true }))).toBe("redo");
    expect(undoKey(key("z", { metaKey: true }))).toBe("undo");
  });

  it("ignores other keys", () => {
    expect(undoKey(key("z"))).toBeNull();
    expect(undoKey(key("z", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(undoKey(key("x", { ctrlKey: true }))).toBeNull();
    expect(undoKey(key("Y", { ctrlKey: true, shiftKey: true }))).toBeNull();
  });
});

describe("isTyping", () => {
  // Just enough of an element for closest(): this suite runs without a DOM.
  const el = (tag: string, type = "text", attrs: string[] = []) => ({
    closest(selector: string) {
      if (selector === "input") return tag === "input" ? { type } : null;
      return selector.split(",").some((s) => s.trim().startsWith(tag) || attrs.some((a) => s.includes(a))) ? {} : null;
    },
  });

  it("is true in text fields and false on checkboxes, buttons and rows", () => {
    expect(isTyping(el("input") as unknown as EventTarget)).toBe(true);
    expect(isTyping(el("textarea") as unknown as EventTarget)).toBe(true);
    expect(isTyping(el("input", "checkbox") as unknown as EventTarget)).toBe(false);
    expect(isTyping(el("button") as unknown as EventTarget)).toBe(false);
    expect(isTyping(el("tr") as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
