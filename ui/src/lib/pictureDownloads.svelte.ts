// The download of pictures that imported product files name by web address, as one app-wide
// job: the import panel starts it after an import, the app resumes it shortly after the window
// opens when pictures are still queued (the app was closed mid-download, or was offline), and
// after a redo put an import's pictures back. The import panel and the status bar show the same
// progress and can stop it; the queue itself lives in the backend, so stopping or closing loses
// nothing.

import { untrack } from "svelte";
import { app } from "./app.svelte";
import type { PictureRun, PictureStatus } from "./bindings";
import { history } from "./history.svelte";
import * as ipc from "./ipc";
import { NO_BACKEND, toKanaalError } from "./ipc";

/** How long after the window opens the waiting pictures are resumed: the first screen is drawn
 *  and the catalog loaded before the network is touched. */
export const RESUME_DELAY_MS = 1500;

class PictureDownloads {
  /** The running download's job id (for cancel_job), or null. */
  job = $state<string | null>(null);
  progress = $state<{ done: number; total: number } | null>(null);
  /** What the last download did. */
  run = $state<PictureRun | null>(null);
  /** Where the queue stands (waiting, waiting for a connection, failures). */
  status = $state<PictureStatus | null>(null);
  error = $state<string | null>(null);
  private started = false;

  /** Pictures queued that no run has found offline yet: a download can start on its own. */
  get fresh(): number {
    return this.status ? this.status.waiting - this.status.waitingForConnection : 0;
  }

  async refresh(): Promise<PictureStatus | null> {
    try {
      this.status = await ipc.importPicturesStatus();
    } catch (reason) {
      const e = toKanaalError(reason);
      if (e.code !== NO_BACKEND) this.error = e.message;
    }
    return this.status;
  }

  /** Downloads every waiting picture; a second call while one runs does nothing. */
  async download(): Promise<void> {
    if (this.job) return;
    const job = ipc.newJobId();
    this.job = job;
    this.run = null;
    this.error = null;
    this.progress = null;
    try {
      this.run = await ipc.fetchImportPictures(job, (step) => {
        if (step.stage === "pictures") this.progress = { done: step.done, total: step.total };
      });
      if (this.run.added > 0) await app.dataChanged();
      await history.refresh();
    } catch (reason) {
      const e = toKanaalError(reason);
      if (e.code !== NO_BACKEND) this.error = e.message;
    } finally {
      this.job = null;
      this.progress = null;
    }
    await this.refresh();
  }

  async stop(): Promise<void> {
    if (this.job) await ipc.cancelJob(this.job);
  }

  /** Puts the failed pictures back in the queue and downloads again. */
  async retry(): Promise<void> {
    try {
      await ipc.retryImportPictures();
    } catch (reason) {
      this.error = toKanaalError(reason).message;
      return;
    }
    await this.download();
  }

  /** At start-up: after the window shows, download what is still queued, in the background.
   *  Afterwards, whenever the catalog changed (a redo put an import back), pictures queued and
   *  not yet tried are downloaded too; those waiting for a connection wait for the next start
   *  or the Try again button, so an offline laptop is not asked after every edit. */
  resumeAfterStart(delayMs = RESUME_DELAY_MS): void {
    if (this.started) return;
    this.started = true;
    setTimeout(() => {
      void this.resume(true);
      $effect.root(() => {
        let first = true;
        $effect(() => {
          void app.dataVersion;
          if (first) {
            first = false;
            return;
          }
          untrack(() => void this.resume(false));
        });
      });
    }, delayMs);
  }

  private async resume(atStart: boolean): Promise<void> {
    if (this.job) return;
    const status = await this.refresh();
    if (!status || this.job) return;
    // The merchant stopped the last download: only a new start or a button resumes it.
    if (!atStart && this.run?.cancelled) return;
    if (atStart ? status.waiting > 0 : this.fresh > 0) await this.download();
  }
}

export const pictureDownloads = new PictureDownloads();
