import { beforeEach, describe, expect, it, vi } from "vitest";

// The queue and the download live in Rust; here only when the window starts a download matters,
// so the IPC calls are stood in for by a queue of `waiting` pictures.
const queue = { waiting: 0, waitingForConnection: 0 };
const calls: string[] = [];
vi.mock("../src/lib/ipc", () => ({
  NO_BACKEND: "no_backend",
  newJobId: () => `job-${calls.length}`,
  importPicturesStatus: vi.fn(async () => {
    calls.push("status");
    return { ...queue, done: 0, failed: 0, failures: [] };
  }),
  fetchImportPictures: vi.fn(async (_job: string, onStep: (s: { stage: string; done: number; total: number }) => void) => {
    calls.push("fetch");
    const total = queue.waiting;
    onStep({ stage: "pictures", done: 0, total });
    queue.waiting = 0;
    return { total, added: total, alreadyThere: 0, failed: 0, waitingForConnection: 0, cancelled: false, failures: [] };
  }),
  cancelJob: vi.fn(async () => true),
  retryImportPictures: vi.fn(async () => 0),
  toKanaalError: (e: unknown) => e,
}));
vi.mock("../src/lib/app.svelte", () => ({ app: { dataVersion: 0, dataChanged: async () => {} } }));
vi.mock("../src/lib/history.svelte", () => ({ history: { refresh: async () => {} } }));

async function fresh() {
  vi.resetModules();
  return (await import("../src/lib/pictureDownloads.svelte")).pictureDownloads;
}

describe("pictures queued when the window opens", () => {
  beforeEach(() => {
    calls.length = 0;
    vi.useFakeTimers();
  });

  it("download in the background after the start-up delay, not before", async () => {
    queue.waiting = 3;
    queue.waitingForConnection = 3;
    const downloads = await fresh();
    downloads.resumeAfterStart(1500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls, "nothing touches the queue while the window starts").toEqual([]);
    await vi.advanceTimersByTimeAsync(600);
    await vi.waitFor(() => expect(calls).toContain("fetch"));
    expect(calls.filter((c) => c === "fetch"), "pictures that waited for a connection are tried again at start").toHaveLength(1);
    await vi.waitFor(() => expect(downloads.job).toBeNull());
    expect(downloads.status?.waiting, "the status is read again afterwards").toBe(0);
    expect(downloads.run?.added).toBe(3);
  });

  it("start no download when nothing waits, and only once per session", async () => {
    queue.waiting = 0;
    queue.waitingForConnection = 0;
    const downloads = await fresh();
    downloads.resumeAfterStart(10);
    downloads.resumeAfterStart(10);
    await vi.advanceTimersByTimeAsync(50);
    await vi.waitFor(() => expect(calls).toEqual(["status"]));
    expect(downloads.job).toBeNull();
  });
});
