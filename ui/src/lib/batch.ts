// Following a confirmed publish batch (a publish or a rollback) to its end: read its progress
// once, poll it every second while it is not finished, send it through the outbox worker (a
// cancellable job) and read the progress once more when the sending ends. The Publish page and
// the rollback panel both run this cycle; the windows only hold what it reports.
// Plain TypeScript with the calls and the timer passed in, so Vitest can drive it.

import type { BatchProgress, SendSummary } from "./bindings";

/** What the runner needs from the app (the ipc module in the window). */
export interface BatchCalls {
  progress(batchId: string): Promise<BatchProgress>;
  send(jobId: string, batchId: string, onProgress: () => void): Promise<SendSummary>;
  cancelJob(jobId: string): Promise<unknown>;
  cancel(batchId: string, channel: number | null): Promise<number>;
  newJobId(): string;
}

/** The timer, replaceable in tests. */
export interface BatchClock {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

export const realClock: BatchClock = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  now: () => Date.now(),
};

/** What a window shows of a running batch. */
export interface BatchState {
  batchId: string | null;
  progress: BatchProgress | null;
  /** The send job runs. */
  sending: boolean;
  summary: SendSummary | null;
  /** The last failure of a call, as thrown (the window turns it into its error notice). */
  failure: unknown;
}

export const POLL_MS = 1000;

export class BatchRunner {
  private state: BatchState = { batchId: null, progress: null, sending: false, summary: null, failure: null };
  private timer: unknown = null;
  private jobId: string | null = null;
  private lastPoll = 0;

  constructor(
    private readonly calls: BatchCalls,
    private readonly onChange: (s: BatchState) => void,
    private readonly clock: BatchClock = realClock,
    private readonly pollMs: number = POLL_MS,
  ) {}

  get current(): BatchState {
    return this.state;
  }

  private set(patch: Partial<BatchState>) {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  /** Follows `batchId` (just confirmed) to its end: progress now, polling while it runs, then
   *  the send; resolves with the send's summary (`null` when the send itself failed). */
  async run(batchId: string): Promise<SendSummary | null> {
    this.stop();
    this.set({ batchId, progress: null, summary: null, failure: null });
    await this.poll();
    if (this.state.progress && !this.state.progress.finished) {
      this.timer = this.clock.setInterval(() => void this.poll(), this.pollMs);
    }
    const id = this.calls.newJobId();
    this.jobId = id;
    this.set({ sending: true });
    let summary: SendSummary | null = null;
    try {
      // Each sent row reports progress; the interval already follows it, so a report only
      // polls when the last poll is a while ago.
      summary = await this.calls.send(id, batchId, () => {
        if (this.clock.now() - this.lastPoll > this.pollMs / 2) void this.poll();
      });
      this.set({ summary });
    } catch (reason) {
      this.set({ failure: reason });
    } finally {
      this.jobId = null;
      this.set({ sending: false });
      await this.poll();
      // The send is over: nothing changes any more without a new send.
      this.stop();
    }
    return summary;
  }

  /** Reads the batch's progress now; stops polling once it is finished or cannot be read. */
  async poll(): Promise<void> {
    const batchId = this.state.batchId;
    if (!batchId) return;
    this.lastPoll = this.clock.now();
    try {
      const progress = await this.calls.progress(batchId);
      this.set({ progress });
      if (progress.finished) this.stop();
    } catch (reason) {
      this.set({ failure: reason });
      this.stop();
    }
  }

  /** Stop: all channels (`null`: the running send job stops between rows first) or one; what
   *  was not sent is taken back. Resolves with the rows taken back. */
  async cancel(channel: number | null): Promise<number> {
    const batchId = this.state.batchId;
    if (!batchId) return 0;
    if (this.jobId && channel === null) await this.calls.cancelJob(this.jobId);
    const n = await this.calls.cancel(batchId, channel);
    await this.poll();
    return n;
  }

  /** Stops polling (the window went away, or the batch is over). */
  stop(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** Forgets the batch (a new plan is being prepared). */
  reset(): void {
    this.stop();
    this.set({ batchId: null, progress: null, sending: false, summary: null, failure: null });
  }
}
