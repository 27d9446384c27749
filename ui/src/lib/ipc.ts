// The one place that talks to the Rust side. Every command is typed against
// bindings.ts (generated from the Rust types), and every rejection becomes a
// KanaalError so pages can show its plain-words message.

import { Channel, convertFileSrc, invoke, isTauri } from "@tauri-apps/api/core";
import type {
  AppInfo,
  BatchProgress,
  BatchSummary,
  RollbackPreview,
  DriftCheck,
  DriftOverview,
  DriftResolved,
  InboxPage,
  OrderDetail,
  CancelReason,
  OrderQuery,
  PublishPreview,
  PublishStarted,
  SendSummary,
  SyncSummary,
  CategoryNode,
  HistoryEntry,
  NewChannel,
  Location,
  ProductDetail,
  StoredPicture,
  Batch,
  BulkOp,
  Change,
  ChannelListing,
  ChannelOverview,
  ChannelRulesView,
  RuleExample,
  RulesForm,
  ChannelTest,
  DemoSummary,
  ImportReport,
  InputProblem,
  IpcError,
  Language,
  OrderPage,
  OverridesInput,
  PreviewRow,
  ProductId,
  ProductPage,
  ProductQuery,
  ProgressStep,
  ShopOverview,
  UndoState,
  VariantRow,
} from "./bindings";
import { importHeaders, type ImportOptions } from "./importing";
import { inputProblemText } from "./inputProblems";
import { t } from "./i18n/index.svelte";

/** Code used when there is no Rust side at all (a plain browser tab). */
export const NO_BACKEND = "no_backend";

export class KanaalError extends Error implements IpcError {
  readonly code: string;
  /** What the merchant typed or chose that was refused, typed; `message` then words it. */
  readonly problem: InputProblem | null;

  constructor(code: string, message: string, problem: InputProblem | null = null) {
    super(message);
    this.name = "KanaalError";
    this.code = code;
    this.problem = problem;
  }

  /** The user pressed Stop; not a failure to report. */
  get cancelled(): boolean {
    return this.code === "cancelled";
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcError).code === "string" &&
    typeof (value as IpcError).message === "string"
  );
}

/**
 * The window's sentence for a failure that is not about the merchant's input, by its code: a
 * stop on request, something deleted meanwhile, or an unexpected failure (whose English
 * sentence from the Rust side stays as the technical detail). Other codes keep the message.
 */
export function codeText(code: string, message: string): string {
  switch (code) {
    case "cancelled":
      return t("error.cancelled");
    case "not_found":
      return t("error.notFound");
    case "internal":
      return t("error.internal", { detail: message });
    default:
      return message;
  }
}

/** Turns whatever a rejected invoke gives us into a KanaalError. */
export function toKanaalError(reason: unknown): KanaalError {
  if (reason instanceof KanaalError) return reason;
  if (isIpcError(reason)) {
    // A refusal of the merchant's input is worded here, in the window's language; the English
    // message is the Rust side's sentence for the command line.
    const problem = reason.problem ?? null;
    return new KanaalError(reason.code, problem ? inputProblemText(problem) : codeText(reason.code, reason.message), problem);
  }
  // Tauri itself rejects with a bare string for e.g. an unknown command.
  const internal = (detail: string) => new KanaalError("internal", codeText("internal", detail));
  if (typeof reason === "string") return internal(reason);
  if (reason instanceof Error) return internal(reason.message);
  return internal(String(reason));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

/**
 * Imports a product CSV: the file's bytes go as the raw request body, the options as headers.
 * With `dryRun` nothing is saved and the report says what would happen.
 */
export async function importCatalog(bytes: Uint8Array, options: ImportOptions): Promise<ImportReport> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<ImportReport>("import_catalog", bytes, { headers: importHeaders(options) });
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

/** Stores a picture file (its bytes go as the raw body) and makes its thumbnail. */
export async function addPicture(bytes: Uint8Array): Promise<StoredPicture> {
  if (!isTauri()) throw new KanaalError(NO_BACKEND, "Kanaal is not running inside the desktop app.");
  try {
    return await invoke<StoredPicture>("add_picture", bytes);
  } catch (reason) {
    throw toKanaalError(reason);
  }
}

export function credentialFields(kind: string): Promise<string[]> {
  return call<string[]>("credential_fields", { kind });
}

export function addChannel(channel: NewChannel): Promise<void> {
  return call<void>("add_channel", { channel });
}

/** Who Kanaal is connected as, or why it could not connect (typed); rejects only on a local error. */
export function testChannel(channel: number): Promise<ChannelTest> {
  return call<ChannelTest>("test_channel", { channel });
}

export function setChannelEnabled(channel: number, enabled: boolean): Promise<void> {
  return call<void>("set_channel_enabled", { channel, enabled });
}

export function editChannel(channel: number, name: string, baseUrl: string | null): Promise<void> {
  return call<void>("edit_channel", { channel, name, baseUrl });
}

export function removeChannel(channel: number): Promise<void> {
  return call<void>("remove_channel", { channel });
}

export function listLocations(): Promise<Location[]> {
  return call<Location[]>("list_locations");
}

export function listCategories(): Promise<CategoryNode[]> {
  return call<CategoryNode[]>("list_categories");
}

export function matchingProductIds(query: ProductQuery): Promise<ProductId[]> {
  return call<ProductId[]>("matching_product_ids", { query });
}

export function productDetail(product: ProductId): Promise<ProductDetail> {
  return call<ProductDetail>("product_detail", { product });
}

export function productHistory(product: ProductId): Promise<HistoryEntry[]> {
  return call<HistoryEntry[]>("product_history", { product });
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

export function setLanguage(language: Language): Promise<void> {
  return call<void>("set_language", { language });
}

export function listProducts(query: ProductQuery): Promise<ProductPage> {
  return call<ProductPage>("list_products", { query });
}

export function shopOverview(): Promise<ShopOverview> {
  return call<ShopOverview>("shop_overview");
}

export function listChannels(): Promise<ChannelOverview> {
  return call<ChannelOverview>("list_channels");
}

export function listOrders(offset: number, limit: number): Promise<OrderPage> {
  return call<OrderPage>("list_orders", { offset, limit });
}

/** The variants of one product with their values exactly as stored, for inline editing. */
export function productVariants(product: ProductId): Promise<VariantRow[]> {
  return call<VariantRow[]>("product_variants", { product });
}

/**
 * Applies the changes as one undoable batch; `null` when nothing actually changed. Rejects with
 * `invalid_input` when a value is not valid or no longer equals the change's `old`.
 */
export function applyChanges(changes: Change[], label: string): Promise<Batch | null> {
  return call<Batch | null>("apply_changes", { changes, label });
}

/** Every change a bulk operation on these products would make, without making it. */
export function bulkPreview(products: ProductId[], op: BulkOp): Promise<PreviewRow[]> {
  return call<PreviewRow[]>("bulk_preview", { products, op });
}

export function undo(): Promise<Batch | null> {
  return call<Batch | null>("undo");
}

export function redo(): Promise<Batch | null> {
  return call<Batch | null>("redo");
}

/** What undo and redo would do now. */
export function undoState(): Promise<UndoState> {
  return call<UndoState>("undo_state");
}

/** Loads the demo shop; progress steps stream back over a Tauri channel while it runs. */
export function loadDemo(jobId: string, onProgress: (step: ProgressStep) => void): Promise<DemoSummary> {
  const channel = new Channel<ProgressStep>();
  channel.onmessage = onProgress;
  return call<DemoSummary>("load_demo", { jobId, onProgress: channel });
}

/** Asks a running job to stop; resolves `false` when it had already finished. */
export function cancelJob(jobId: string): Promise<boolean> {
  return call<boolean>("cancel_job", { jobId });
}

/** Downloads the pictures imported product files named by web address and adds them to their
 *  products; a cancellable job (cancelJob) whose progress streams back (stage "pictures"). */
export function fetchImportPictures(
  jobId: string,
  onProgress: (step: ProgressStep) => void,
): Promise<import("./bindings").PictureRun> {
  const channel = new Channel<ProgressStep>();
  channel.onmessage = onProgress;
  return call<import("./bindings").PictureRun>("fetch_import_pictures", { jobId, onProgress: channel });
}

/** Where the picture download stands: waiting, waiting for a connection, failed (by row). */
export function importPicturesStatus(): Promise<import("./bindings").PictureStatus> {
  return call<import("./bindings").PictureStatus>("import_pictures_status");
}

/** Puts the pictures that failed back in the queue; resolves how many. */
export function retryImportPictures(): Promise<number> {
  return call<number>("retry_import_pictures");
}

/** Tells the app the first page has been drawn (used by the start-up benchmark). */
export function uiReady(): Promise<void> {
  // Where the time went since the webview started loading the page, for the benchmark report.
  const marks: Record<string, number> = { pageStartUnixMs: Math.round(performance.timeOrigin) };
  for (const m of performance.getEntriesByType("mark")) marks[m.name] = Math.round(m.startTime);
  marks.ready = Math.round(performance.now());
  return call<void>("ui_ready", { marks });
}

/** URL of a stored product image, served by the Rust side's `kanaal-image` scheme. */
export function imageUrl(hash: string): string {
  return convertFileSrc(hash, "kanaal-image");
}

/** A job id for cancel_job; randomUUID needs a secure context, so fall back to getRandomValues. */
export function newJobId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the last drift check found changed on each channel (the Publish page's section). */
export function driftOverview(): Promise<DriftOverview> {
  return call<DriftOverview>("drift_overview");
}

/** Reads every channel back now and stores what changed there. */
export function driftCheck(): Promise<DriftCheck[]> {
  return call<DriftCheck[]>("drift_check");
}

/** The merchant's choice for one field changed on a channel. */
export function driftResolve(listing: number, field: string, choice: "adopt" | "keep_mine"): Promise<DriftResolved> {
  return call<DriftResolved>("drift_resolve", { listing, field, choice });
}

/** Per channel: the product's standing there and its own title, description and prices. */
export function productChannels(product: number): Promise<ChannelListing[]> {
  return call<ChannelListing[]>("product_channels", { product });
}

/** Saves the product's own values on one channel as one undo step; refused typed. */
export function setListingOverrides(product: number, channel: number, overrides: OverridesInput): Promise<Batch | null> {
  return call<Batch | null>("set_listing_overrides", { product, channel, overrides });
}

/** A channel's price and stock rules as the form shows them. */
export function channelRules(channel: number): Promise<ChannelRulesView> {
  return call<ChannelRulesView>("channel_rules", { channel });
}

/** Saves a channel's rules as typed; refused typed (nothing saved). */
export function setChannelRules(channel: number, rules: RulesForm): Promise<void> {
  return call<void>("set_channel_rules", { channel, rules });
}

/** What a catalog price becomes under the rules as typed, computed by kanaal-core. */
export function ruleExample(rules: RulesForm, price: string, cost: string | null = null): Promise<RuleExample> {
  return call<RuleExample>("rule_example", { rules, price, cost });
}

/** The publish plan of every enabled channel; nothing is sent or queued. */
export function publishPrepare(): Promise<PublishPreview> {
  return call<PublishPreview>("publish_prepare");
}

/**
 * Puts products on a channel (`listed`) or takes them off; nothing is sent until the next
 * publish. `products: null` with `listed` puts on every active product not on the channel yet
 * (with `!listed` it is refused, typed `choose_products_to_take_off`). Resolves to how many
 * products changed.
 */
export function setProductsListed(channel: number, products: number[] | null, listed: boolean): Promise<number> {
  return call<number>("set_products_listed", { channel, products, listed });
}

/** Queues what the preview showed, in one transaction; rejects when the preview is stale. */
export function publishConfirm(previewId: string): Promise<PublishStarted> {
  return call<PublishStarted>("publish_confirm", { previewId });
}

export function publishProgress(batchId: string): Promise<BatchProgress> {
  return call<BatchProgress>("publish_progress", { batchId });
}

/** The recent publishes and rollbacks, newest first. */
export function publishHistory(): Promise<BatchSummary[]> {
  return call<BatchSummary[]>("publish_history");
}

/** What rolling back a publish would send, per channel; nothing is queued. */
export function publishRollbackPrepare(batchId: string): Promise<RollbackPreview> {
  return call<RollbackPreview>("publish_rollback_prepare", { batchId });
}

/** Queues the previewed rollback as a batch of its own (send it with publishSend). */
export function publishRollbackConfirm(previewId: string): Promise<PublishStarted> {
  return call<PublishStarted>("publish_rollback_confirm", { previewId });
}

/** Stops the rows of a publish not yet being sent (one channel, or all with `null`). */
export function publishCancel(batchId: string, channel: number | null): Promise<number> {
  return call<number>("publish_cancel", { batchId, channel });
}

export function orderInbox(query: OrderQuery): Promise<InboxPage> {
  return call<InboxPage>("order_inbox", { query });
}

export function orderStatuses(): Promise<string[]> {
  return call<string[]>("order_statuses");
}

export function orderDetail(order: number): Promise<OrderDetail> {
  return call<OrderDetail>("order_detail", { order });
}

/** Queues "mark shipped"; rejects in plain words when the carrier or tracking code is not valid. */
export function markShipped(order: number, carrier: string, tracking: string): Promise<void> {
  return call<void>("mark_shipped", { order, carrier, tracking });
}

/**
 * Queues "cancel" for the whole order (no lines) or for these line numbers, with a reason from
 * the channel's list; rejects in plain words when the channel cannot cancel single lines.
 */
export function cancelOrder(order: number, lines: number[], reason: CancelReason): Promise<void> {
  return call<void>("cancel_order", { order, lines, reason });
}

/** Sends a confirmed publish through the sync engine; a cancellable job with progress. */
export function publishSend(jobId: string, batchId: string, onProgress: (step: ProgressStep) => void): Promise<SendSummary> {
  const channel = new Channel<ProgressStep>();
  channel.onmessage = onProgress;
  return call<SendSummary>("publish_send", { jobId, batchId, onProgress: channel });
}

/** Pulls new orders, pushes stock and sends waiting changes for every channel; cancellable. */
export function syncNow(jobId: string, onProgress: (step: ProgressStep) => void): Promise<SyncSummary> {
  const channel = new Channel<ProgressStep>();
  channel.onmessage = onProgress;
  return call<SyncSummary>("sync_now", { jobId, onProgress: channel });
}
