// The app's calls behind a BatchRunner (lib/batch): a publish and a rollback are both batches
// that publish_send sends and publish_progress follows.
import type { BatchCalls } from "./batch";
import * as ipc from "./ipc";

export const publishBatchCalls: BatchCalls = {
  progress: ipc.publishProgress,
  send: (jobId, batchId, onProgress) => ipc.publishSend(jobId, batchId, () => onProgress()),
  cancelJob: ipc.cancelJob,
  cancel: ipc.publishCancel,
  newJobId: ipc.newJobId,
};
