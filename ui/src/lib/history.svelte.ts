// The undo/redo stack as the UI sees it: what Ctrl+Z and Ctrl+Shift+Z would do, and a short
// status line after one of them ran. Anything that applies changes calls refresh() afterwards.

import { app } from "./app.svelte";
import type { Batch, UndoState } from "./bindings";
import * as ipc from "./ipc";
import { toKanaalError } from "./ipc";

const MESSAGE_MS = 4000;

class History {
  state = $state<UndoState>({ undo: null, redo: null });
  /** What just happened ("undone"/"redone" with its label) or what went wrong. */
  message = $state<{ kind: "undone" | "redone" | "nothing" | "error"; text: string } | null>(null);
  busy = $state(false);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Undo/redo requests run one after another: pressing Ctrl+Z twice quickly undoes twice. */
  private queue: Promise<void> = Promise.resolve();

  async refresh(): Promise<void> {
    try {
      this.state = await ipc.undoState();
    } catch {
      // Without a backend there is nothing to undo; the buttons stay disabled.
      this.state = { undo: null, redo: null };
    }
  }

  undo(): Promise<void> {
    return this.run("undone", ipc.undo);
  }

  redo(): Promise<void> {
    return this.run("redone", ipc.redo);
  }

  private run(kind: "undone" | "redone", step: () => Promise<Batch | null>): Promise<void> {
    this.queue = this.queue.then(() => this.runNow(kind, step));
    return this.queue;
  }

  private async runNow(kind: "undone" | "redone", step: () => Promise<Batch | null>): Promise<void> {
    this.busy = true;
    try {
      const batch = await step();
      this.say(batch ? { kind, text: batch.label } : { kind: "nothing", text: "" });
      await this.refresh();
      if (batch) await app.dataChanged();
    } catch (reason) {
      this.say({ kind: "error", text: toKanaalError(reason).message });
      await this.refresh();
    } finally {
      this.busy = false;
    }
  }

  private say(message: History["message"]): void {
    this.message = message;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.message = null), MESSAGE_MS);
  }
}

export const history = new History();

/** Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo; null for any other key. */
export function undoKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  return null;
}

/** True while the user types somewhere: their Ctrl+Z belongs to the text field. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.closest) return false;
  const input = el.closest("input");
  if (input) return !NOT_TEXT.has(input.type);
  return !!el.closest("textarea, [contenteditable]:not([contenteditable='false'])");
}

const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);
