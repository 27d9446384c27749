import { describe, expect, it, vi } from "vitest";

// The undo stack lives in Rust; here only the order of requests matters, so the two IPC calls
// it makes are stood in for by a stack of three batches.
const batches = ["a", "b", "c"];
vi.mock("../src/lib/ipc", () => ({
  undo: vi.fn(async () => {
    await new Promise((r) => setTimeout(r, 5));
    const label = batches.pop();
    return label ? { id: label, label, changes: 1 } : null;
  }),
  redo: vi.fn(async () => null),
  undoState: vi.fn(async () => ({ undo: null, redo: null })),
  toKanaalError: (e: unknown) => e,
}));
vi.mock("../src/lib/app.svelte", () => ({ app: { dataChanged: async () => {} } }));

const { history } = await import("../src/lib/history.svelte");

describe("undo requests", () => {
  it("pressed twice quickly undo twice, in order, instead of dropping the second", async () => {
    await Promise.all([history.undo(), history.undo()]);
    expect(batches, "two batches were taken back, the newest first").toEqual(["a"]);
    expect(history.message?.text, "the status line names the last one undone").toBe("b");
  });
});
