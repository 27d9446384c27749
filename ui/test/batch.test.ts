import { describe, expect, it } from "vitest";
import { BatchRunner, type BatchCalls, type BatchClock, type BatchState } from "../src/lib/batch";
import type { BatchProgress, SendSummary } from "../src/lib/bindings";

const progress = (finished: boolean, done = 0): BatchProgress =>
  ({ batchId: "b1", channels: [], rows: [{ done } as never], finished }) as BatchProgress;

const summary: SendSummary = { sent: 2, failed: 0, retryLater: 0, errors: [], held: [], cancelled: false };

/** A hand-driven timer: ticks run the interval callback. */
function fakeClock() {
  let fn: (() => void) | null = null;
  let t = 0;
  const clock: BatchClock & { tick(): void; running(): boolean; advance(ms: number): void } = {
    setInterval(f) {
      fn = f;
      return 1;
    },
    clearInterval() {
      fn = null;
    },
    now: () => t,
    tick: () => fn?.(),
    running: () => fn !== null,
    advance: (ms) => {
      t += ms;
    },
  };
  return clock;
}

/** Calls whose send waits until the test lets it finish. */
function fakeCalls(answers: BatchProgress[]) {
  const log: string[] = [];
  let finishSend: ((s: SendSummary) => void) | null = null;
  let failSend: ((e: unknown) => void) | null = null;
  let onProgress: (() => void) | null = null;
  let i = 0;
  const calls: BatchCalls = {
    progress: async (id) => {
      log.push(`progress ${id}`);
      return answers[Math.min(i++, answers.length - 1)] as BatchProgress;
    },
    send: (job, id, report) => {
      log.push(`send ${job} ${id}`);
      onProgress = report;
      return new Promise((resolve, reject) => {
        finishSend = resolve;
        failSend = reject;
      });
    },
    cancelJob: async (job) => {
      log.push(`cancelJob ${job}`);
      return true;
    },
    cancel: async (id, channel) => {
      log.push(`cancel ${id} ${channel}`);
      return 3;
    },
    newJobId: () => "job-1",
  };
  return {
    calls,
    log,
    finish: (s: SendSummary) => finishSend?.(s),
    fail: (e: unknown) => failSend?.(e),
    report: () => onProgress?.(),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("BatchRunner", () => {
  it("reads progress, polls while sending, and ends with the summary and a last read", async () => {
    const clock = fakeClock();
    const f = fakeCalls([progress(false), progress(false, 1), progress(true, 2)]);
    const seen: BatchState[] = [];
    const runner = new BatchRunner(f.calls, (s) => seen.push(s), clock);
    const done = runner.run("b1");
    await flush();
    expect(f.log).toEqual(["progress b1", "send job-1 b1"]);
    expect(runner.current.sending).toBe(true);
    expect(clock.running()).toBe(true);
    clock.tick();
    await flush();
    expect(runner.current.progress?.rows[0]).toEqual({ done: 1 });
    f.finish(summary);
    expect(await done).toEqual(summary);
    expect(runner.current).toMatchObject({ sending: false, summary, failure: null });
    expect(runner.current.progress?.finished).toBe(true);
    expect(clock.running()).toBe(false);
    expect(seen.some((s) => s.sending)).toBe(true);
  });

  it("a progress report polls only when the last poll is half an interval old", async () => {
    const clock = fakeClock();
    const f = fakeCalls([progress(false)]);
    const runner = new BatchRunner(f.calls, () => {}, clock);
    void runner.run("b1");
    await flush();
    f.report();
    await flush();
    expect(f.log.filter((l) => l.startsWith("progress")).length).toBe(1);
    clock.advance(600);
    f.report();
    await flush();
    expect(f.log.filter((l) => l.startsWith("progress")).length).toBe(2);
    f.finish(summary);
  });

  it("does not poll on a timer when the batch is already finished", async () => {
    const clock = fakeClock();
    const f = fakeCalls([progress(true)]);
    const runner = new BatchRunner(f.calls, () => {}, clock);
    const done = runner.run("b1");
    await flush();
    expect(clock.running()).toBe(false);
    f.finish(summary);
    await done;
  });

  it("keeps a failed send as the failure, stops polling and still reads the progress", async () => {
    const clock = fakeClock();
    const f = fakeCalls([progress(false)]);
    const runner = new BatchRunner(f.calls, () => {}, clock);
    const done = runner.run("b1");
    await flush();
    f.fail(new Error("no network"));
    expect(await done).toBeNull();
    expect((runner.current.failure as Error).message).toBe("no network");
    expect(runner.current.sending).toBe(false);
    expect(clock.running()).toBe(false);
    expect(f.log.filter((l) => l.startsWith("progress")).length).toBe(2);
  });

  it("stop for all channels stops the send job first; one channel only takes its rows back", async () => {
    const clock = fakeClock();
    const f = fakeCalls([progress(false)]);
    const runner = new BatchRunner(f.calls, () => {}, clock);
    void runner.run("b1");
    await flush();
    expect(await runner.cancel(7)).toBe(3);
    expect(f.log).toContain("cancel b1 7");
    expect(f.log).not.toContain("cancelJob job-1");
    await runner.cancel(null);
    const i = f.log.indexOf("cancelJob job-1");
    expect(i).toBeGreaterThan(-1);
    expect(f.log.indexOf("cancel b1 null")).toBeGreaterThan(i);
    f.finish(summary);
  });

  it("cancel without a batch does nothing", async () => {
    const f = fakeCalls([progress(false)]);
    const runner = new BatchRunner(f.calls, () => {}, fakeClock());
    expect(await runner.cancel(null)).toBe(0);
    expect(f.log).toEqual([]);
  });
});
