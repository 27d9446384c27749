// Generated from the Rust types by ts-rs: `UPDATE_BINDINGS=1 cargo test -p kanaal-app bindings`.
// Do not edit by hand; a test fails when this file and the Rust types differ.

export type Money = { amount: string, currency: string, };

export type ProductStatus = "draft" | "active" | "archived";

export type ProductQuery = { 
/**
 * What the merchant typed: every word must appear in a title (Dutch or English), the
 * brand, a tag, the handle or a SKU/EAN, also inside a longer word ("bonen" finds
 * "koffiebonen").
 */
search: string | null, status: ProductStatus | null, 
/**
 * Only this category and the categories below it.
 */
category: number | null, stock: StockFilter | null, channel: ChannelFilter | null, 
/**
 * Only products listed on a channel that has not had their latest edit yet.
 */
changedSincePublish: boolean, sort: SortKey, descending: boolean, 
/**
 * The language whose titles the list is sorted by (Dutch when not given).
 */
language: Language | null, offset: number, limit: number, };

export type StockFilter = "in_stock" | "low" | "out_of_stock";

export type ChannelFilter = { channel: number, 
/**
 * `true`: only products listed there; `false`: only products not (yet) listed there.
 */
listed: boolean, };

export type SortKey = "title" | "updated" | "stock";

export type CategoryNode = { id: number, parent: number | null, nameNl: string, nameEn: string, 
/**
 * 0 for a top-level category.
 */
depth: number, };

export type Location = { id: LocationId, code: string, name: string, };

export type OptionName = { nameNl: string, nameEn: string, };

export type Picture = { hash: string, 
/**
 * The small copy to show in lists, when there is one.
 */
thumb: string | null, altNl: string, altEn: string, width: number | null, height: number | null, };

export type ProductDetail = { id: number, handle: string, titleNl: string, titleEn: string, descriptionNl: string, descriptionEn: string, brand: string, status: ProductStatus, category: number | null, tags: Array<string>, 
/**
 * The tags exactly as stored (JSON), the `old` of a tags edit.
 */
tagsStored: string, options: Array<OptionName>, pictures: Array<Picture>, 
/**
 * The picture list exactly as stored (JSON), the `old` of a pictures edit.
 */
picturesStored: string, variants: Array<VariantRow>, updatedAt: string, };

export type HistoryEntry = { 
/**
 * RFC 3339, UTC.
 */
at: string, 
/**
 * Who made it: `ui`, `import`, `cli`, `demo`, `sync`, `undo`, `redo`.
 */
source: string, 
/**
 * The edit it was part of ("Price +10 %", "Import shopify.csv"), when known.
 */
batch: string | null, 
/**
 * `product`, `variant` or `stock`.
 */
entity: string, 
/**
 * The variant's SKU for a variant or stock change.
 */
sku: string | null, 
/**
 * The field as the audit log names it (`price`, `title_nl`, `quantity@1`, `created`).
 */
field: string, old: string | null, new: string | null, };

export type ImageRef = { 
/**
 * The stored file's SHA-256 (see [`crate::images`]).
 */
hash: string, 
/**
 * Alt text: what the picture shows, for screen readers and search engines.
 */
altNl: string, altEn: string, };

export type StoredPicture = { hash: string, 
/**
 * The thumbnail's hash; `None` for an SVG or a picture already thumbnail-sized.
 */
thumb: string | null, mime: string, width: number | null, height: number | null, };

export type ProductRow = { id: number, handle: string, titleNl: string, titleEn: string, categoryNl: string | null, categoryEn: string | null, status: ProductStatus, variantCount: number, priceMin: Money | null, priceMax: Money | null, stockTotal: number, imageHash: string | null, skus: Array<string>, 
/**
 * When the product itself last changed (RFC 3339).
 */
updatedAt: string, };

export type ProductPage = { 
/**
 * How many products match; with `capped`, at least this many ([`SEARCH_COUNT_CAP`]).
 */
total: number, 
/**
 * `true` when a search matches more than [`SEARCH_COUNT_CAP`] products: counting them all
 * would make every letter typed wait for the whole catalog, so the list shows "10,000+"
 * and scrolls through the first [`SEARCH_COUNT_CAP`] (typing more narrows it down).
 */
capped: boolean, rows: Array<ProductRow>, };

export type LocationStock = { code: string, name: string, units: number, valueAtCost: Money, };

export type CategoryMargin = { nameNl: string, nameEn: string, products: number, variants: number, 
/**
 * Average gross margin over the price excluding VAT, in percent with one decimal
 * (`"54.3"`); `None` when no variant in the category has a cost price.
 */
marginPct: string | null, stockValueAtCost: Money, };

export type ChannelPending = { channelId: number, channelName: string, pending: number, };

export type ShopOverview = { shopName: string, products: number, activeProducts: number, variants: number, stockUnits: number, stockValueAtCost: Money, locations: Array<LocationStock>, categories: Array<CategoryMargin>, channels: number, listings: number, 
/**
 * Catalog items changed since they were last published, per configured channel.
 */
pendingChanges: Array<ChannelPending>, outboxQueued: number, orders: number, };

export type ChannelGroup = "webshop" | "marketplace" | "delivery" | "reservations";

export type ChannelAccess = "api" | "files";

export type ChannelKindInfo = { kind: string, name: string, group: ChannelGroup, access: ChannelAccess, configured: number, };

export type ChannelRow = { id: number, kind: string, name: string, enabled: boolean, listings: number, 
/**
 * The API address when not the platform's own.
 */
baseUrl: string | null, };

export type ChannelOverview = { kinds: Array<ChannelKindInfo>, configured: Array<ChannelRow>, };

export type OrderRow = { id: number, channelName: string, remoteId: string, status: string, 
/**
 * RFC 3339, UTC.
 */
placedAt: string, total: Money, lines: number, };

export type OrderPage = { total: number, rows: Array<OrderRow>, };

export type Language = "nl" | "en";

export type AppInfo = { version: string, dataDir: string, dbPath: string, schemaVersion: number, dbSizeBytes: number, 
/**
 * `null` until the user picks a language; the UI then follows the OS language.
 */
language: Language | null, catalogEmpty: boolean, };

export type NewChannel = { kind: string, name: string, 
/**
 * The API address when not the platform's own (a Shopify shop's address, a sandbox).
 */
baseUrl: string | null, 
/**
 * The login details by the platform's field names ([`credential_fields`]). They go to the
 * OS keyring, never to the data folder.
 */
credentials: { [key in string]?: string }, };

export type ChannelTest = { "outcome": "connected", account: Account, } | { "outcome": "failed", failure: StoredFailure, };

export type Account = { "kind": "bol_client", client_id: string, } | { "kind": "shopify_shop", name: string, domain: string, };

export type ProgressStep = { 
/**
 * A stable key for the stage (`"products"`, `"images"`), translated by the UI.
 */
stage: string, done: number, total: number, };

export type FetchFailure = { "kind": "offline", detail: string, } | { "kind": "timeout", seconds: bigint, } | { "kind": "status", status: number, } | { "kind": "not_a_picture", content_type: string, } | { "kind": "too_large", limit_mb: bigint, } | { "kind": "unreadable", detail: string, } | { "kind": "bad_address", detail: string, };

export type PictureFailure = { product: ProductId, productTitle: string, url: string, row: number, column: string, failure: FetchFailure, 
/**
 * [`FetchFailure::explain`], in English (the UI words it from `failure` itself).
 */
message: string, };

export type PictureStatus = { 
/**
 * Pictures not fetched yet (including those waiting for a connection).
 */
waiting: number, 
/**
 * Of `waiting`: those the last try found no connection for.
 */
waitingForConnection: number, 
/**
 * Added to their product (or already there).
 */
done: number, 
/**
 * Failed; listed in `failures` (at most [`FAILURES_LISTED`]).
 */
failed: number, failures: Array<PictureFailure>, };

export type PictureRun = { 
/**
 * Pictures the run took on.
 */
total: number, 
/**
 * Added to a product.
 */
added: number, 
/**
 * Already in the product (the same picture): not added again.
 */
alreadyThere: number, 
/**
 * Failed in this run; the details are in `failures`.
 */
failed: number, 
/**
 * Left queued because there was no connection.
 */
waitingForConnection: number, cancelled: boolean, failures: Array<PictureFailure>, };

export type DemoSummary = { shopName: string, products: number, variants: number, images: number, locations: number, stockUnits: number, };

export type IpcError = { code: string, 
/**
 * The English sentence (what the command line prints); the window shows it only where
 * there is nothing typed to word.
 */
message: string, 
/**
 * The merchant's input that was refused, typed: the window says it in its own language
 * (ui/src/lib/inputProblems.ts).
 */
problem: InputProblem | null, };

export type InputProblem = { "kind": "required", field: Field, } | { "kind": "not_an_amount", field: Field, value: string, } | { "kind": "below_zero", field: Field, } | { "kind": "not_whole_number", field: Field, value: string, } | { "kind": "not_a_choice", field: Field, value: string, } | { "kind": "choose_one", field: Field, } | { "kind": "gtin_length", value: string, } | { "kind": "gtin_check_digit", value: string, expected: number, } | { "kind": "in_use", field: Field, value: string, } | { "kind": "stale", field: Field, } | { "kind": "category_gone" } | { "kind": "picture_gone" } | { "kind": "picture_twice" } | { "kind": "no_handle" } | { "kind": "no_title", handle: string, } | { "kind": "no_variant", handle: string, } | { "kind": "no_sku", handle: string, variant: number, } | { "kind": "option_values", handle: string, variant: number, values: number, options: number, } | { "kind": "mixed_currencies", handle: string, variant: number, } | { "kind": "sku_or_ean_in_use", handle: string, variant: number, sku: string, } | { "kind": "handle_taken", handle: string, } | { "kind": "code_taken", handle: string, } | { "kind": "one_sku_for_many" } | { "kind": "no_tag" } | { "kind": "choose_products_to_take_off" } | { "kind": "undo_would_remove", 
/**
 * The product's handle or the variant's SKU.
 */
name: string, variant: boolean, sold: boolean, } | { "kind": "picture_type", mime: string, } | { "kind": "picture_too_large", megabytes: number, max_megabytes: number, } | { "kind": "not_a_picture" } | { "kind": "picture_damaged", detail: string, } | { "kind": "not_a_product_export" } | { "kind": "csv_unreadable", row: number, detail: string, } | { "kind": "empty_file" } | { "kind": "file_too_large" } | { "kind": "export_format_needed" } | { "kind": "too_many_options_for_shopify", handle: string, options: number, } | { "kind": "option_needed_for_shopify", handle: string, } | { "kind": "data_file_too_new", path: string, found: number, known: number, } | { "kind": "not_kanaal_data", path: string, } | { "kind": "data_folder_unusable", path: string, detail: string, } | { "kind": "no_data_folder" } | { "kind": "not_on_channel", channel: string, } | { "kind": "own_price_not_an_amount", channel: string, sku: string | null, value: string, } | { "kind": "own_price_not_positive", channel: string, sku: string | null, } | { "kind": "own_price_cents", channel: string, sku: string | null, value: string, } | { "kind": "own_price_below_margin", channel: string, sku: string | null, lowest: string, } | { "kind": "own_title_too_long", channel: string, chars: number, max: number, } | { "kind": "delivery_code_not_allowed", channel: string, value: string, } | { "kind": "rule_not_a_number", field: RuleField, value: string, } | { "kind": "rule_not_a_whole_number", field: RuleField, value: string, } | { "kind": "rule_below_zero", field: RuleField, } | { "kind": "rule_share_out_of_range", value: string, } | { "kind": "rule_markup_too_low" } | { "kind": "rule_fixed_markup_cents", value: string, };

export type ProductId = number;

export type VariantId = number;

export type LocationId = number;

export type ChannelId = number;

export type ListingId = number;

export type ListingStanding = "not_on_channel" | "not_yet_published" | "waiting_to_be_sent" | "live" | "refused" | "taken_off";

export type VariantPrice = { variant: VariantId, sku: string, 
/**
 * What the channel gets without an own price: the catalog price under the channel's price
 * rule (markup, ending, minimum margin), as the renderer makes it.
 */
channelPrice: string, 
/**
 * The lowest own price the channel's minimum margin allows, where the rule has one and
 * the variant's cost is known.
 */
lowest: string | null, };

export type ListingPrice = { listing: ListingId, 
/**
 * The listing's own price, if set.
 */
price: string | null, 
/**
 * The variants the listing carries, with their price without an own price.
 */
variants: Array<VariantPrice>, };

export type ProductChannel = { channel: ChannelId, name: string, 
/**
 * The kind's code (`bol`, `shopify`).
 */
kind: string, 
/**
 * False while the channel is paused.
 */
enabled: boolean, 
/**
 * The merchant wants the product on this channel: it has a listing there that is not
 * taken off.
 */
listed: boolean, standing: ListingStanding, 
/**
 * Something of the product waits to be published to this channel.
 */
changesWaiting: boolean, 
/**
 * When the channel last confirmed one of the product's listings.
 */
lastPublishedAt: string | null, 
/**
 * The channel lists each variant on its own (an own price per variant).
 */
perVariant: boolean, 
/**
 * The own title, description and delivery code (shared by the product's listings there).
 */
title: string | null, description: string | null, deliveryCode: string | null, 
/**
 * The catalog's title and description in the channel's language: what the channel gets
 * without an own one.
 */
catalogTitle: string, catalogDescription: string, 
/**
 * Per listing, its own price and the prices without it. Empty when the product has no
 * listing on the channel.
 */
prices: Array<ListingPrice>, };

export type PriceInput = { listing: ListingId, price: string, };

export type OverridesInput = { title: string, description: string, deliveryCode: string, 
/**
 * Own prices per listing; a listing not named here keeps its own price as it is.
 */
prices: Array<PriceInput>, };

export type ChannelListing = { 
/**
 * The delivery promises the channel knows, in the connector's order; empty when it has
 * none (no "delivery promise" field then).
 */
deliveryCodes: Array<string>, 
/**
 * Longest title the channel takes, if known.
 */
maxTitleChars: number | null, channel: ChannelId, name: string, 
/**
 * The kind's code (`bol`, `shopify`).
 */
kind: string, 
/**
 * False while the channel is paused.
 */
enabled: boolean, 
/**
 * The merchant wants the product on this channel: it has a listing there that is not
 * taken off.
 */
listed: boolean, standing: ListingStanding, 
/**
 * Something of the product waits to be published to this channel.
 */
changesWaiting: boolean, 
/**
 * When the channel last confirmed one of the product's listings.
 */
lastPublishedAt: string | null, 
/**
 * The channel lists each variant on its own (an own price per variant).
 */
perVariant: boolean, 
/**
 * The own title, description and delivery code (shared by the product's listings there).
 */
title: string | null, description: string | null, deliveryCode: string | null, 
/**
 * The catalog's title and description in the channel's language: what the channel gets
 * without an own one.
 */
catalogTitle: string, catalogDescription: string, 
/**
 * Per listing, its own price and the prices without it. Empty when the product has no
 * listing on the channel.
 */
prices: Array<ListingPrice>, };

export type PriceEnding = "cent" | ".95" | ".99" | ".00";

export type RuleField = "markup_percent" | "markup_fixed" | "min_margin" | "buffer" | "max" | "share";

export type RulesForm = { markupPercent: string, markupFixed: string, ending: PriceEnding, minMarginPercent: string, buffer: string, max: string, sharePercent: string, };

export type ChannelRulesView = { channel: ChannelId, 
/**
 * The channel's name, for the example line ("kost op bol.com").
 */
name: string, rules: RulesForm, };

export type RuleExample = { price: string, channelPrice: string, };

export type OrderId = number;

export type Field = { "field": "title_nl" } | { "field": "title_en" } | { "field": "description_nl" } | { "field": "description_en" } | { "field": "brand" } | { "field": "status" } | { "field": "tags" } | { "field": "category" } | { "field": "images" } | { "field": "sku" } | { "field": "gtin" } | { "field": "price" } | { "field": "compare_at_price" } | { "field": "cost" } | { "field": "vat_rate" } | { "field": "weight_grams" } | { "field": "stock", "location": LocationId };

export type Target = { "kind": "product", "id": ProductId } | { "kind": "variant", "id": VariantId };

export type Change = { target: Target, field: Field, old: string | null, new: string | null, };

export type Batch = { id: string, label: string, changes: number, };

export type UndoState = { undo: Batch | null, redo: Batch | null, };

export type Ending = "cents95" | "cents99" | "whole";

export type BulkOp = { "op": "set", field: Field, value: string | null, } | { "op": "price_factor", factor: string, } | { "op": "price_delta", amount: string, } | { "op": "round_price", ending: Ending, } | { "op": "stock_delta", location: LocationId, units: number, } | { "op": "add_tag", tag: string, } | { "op": "remove_tag", tag: string, };

export type PreviewRow = { change: Change, titleNl: string, titleEn: string, 
/**
 * The variant's SKU, or `None` for a product field.
 */
sku: string | null, };

export type StockAt = { location: LocationId, locationName: string, quantity: number, };

export type VariantRow = { id: VariantId, sku: string, gtin: string | null, options: Array<string>, 
/**
 * Decimal text, incl. VAT.
 */
price: string, compareAtPrice: string | null, cost: string | null, currency: string, 
/**
 * `standard`, `reduced` or `zero`.
 */
vatRate: string, 
/**
 * Whole grams, as stored text (for an edit's `old`).
 */
weightGrams: string | null, 
/**
 * Every stock location, with 0 where the variant has no stock row.
 */
stock: Array<StockAt>, };

export type Format = "auto" | "shopify" | "woocommerce";

export type Mode = "all_or_nothing" | "valid_rows_only";

export type Severity = "error" | "notice";

export type ProblemKind = { "code": "missing_column", format: string, } | { "code": "missing_handle" } | { "code": "missing_title" } | { "code": "missing_sku" } | { "code": "missing_price" } | { "code": "no_variants" } | { "code": "bad_amount" } | { "code": "negative_amount" } | { "code": "bad_weight" } | { "code": "bad_quantity" } | { "code": "bad_gtin", detail: string, } | { "code": "gtin_as_scientific_number" } | { "code": "bad_status" } | { "code": "bad_yes_no" } | { "code": "bad_tax_class" } | { "code": "duplicate_handle", first_row: number, } | { "code": "duplicate_sku", first_row: number, } | { "code": "duplicate_gtin", first_row: number, } | { "code": "duplicate_option_values", first_row: number, } | { "code": "missing_option_value", option: string, } | { "code": "unknown_parent" } | { "code": "unknown_product_type" } | { "code": "unsupported_product_type" } | { "code": "sku_of_other_product", handle: string, } | { "code": "same_catalog_product", first_row: number, } | { "code": "gtin_of_other_variant", sku: string, } | { "code": "options_changed_without_all_variants", missing: Array<string>, } | { "code": "refused", detail: string, problem: InputProblem | null, } | { "code": "part_of_skipped_product", bad_row: number, };

export type RowProblem = { 
/**
 * The row number the spreadsheet shows: the header is row 1, the first product row 2.
 */
row: number, 
/**
 * The column's name as written in the file's header.
 */
column: string, 
/**
 * The cell's text, as read.
 */
value: string, severity: Severity, kind: ProblemKind, 
/**
 * What is wrong and what to do, in English.
 */
message: string, 
/**
 * The same in Dutch.
 */
messageNl: string, };

export type ImportReport = { 
/**
 * The format the file was read as.
 */
format: Format, dryRun: boolean, 
/**
 * `true` when the changes were saved; `false` for a dry run or a refused import.
 */
committed: boolean, 
/**
 * Products created (or that would be, in a dry run).
 */
created: number, 
/**
 * Existing products with at least one changed field or variant.
 */
updated: number, 
/**
 * Existing products the file matches exactly.
 */
unchanged: number, 
/**
 * Data rows not imported: bad rows, rows of products left out, notices.
 */
skippedRows: number, categoriesCreated: number, 
/**
 * Picture addresses in the imported products. The import itself does not download them:
 * a committed import queues them and the picture download adds them afterwards.
 */
pictureAddresses: number, 
/**
 * The audit batch id of the changes, when they were saved.
 */
batchId: string | null, problems: Array<RowProblem>, };

export type OrderQuery = { channel: ChannelId | null, 
/**
 * A status as the store holds it ("open", "shipped", ...).
 */
status: string | null, 
/**
 * Only orders that still have to be shipped.
 */
needsShipping: boolean, 
/**
 * Only orders with a line whose SKU is not in the catalog.
 */
unknownSku: boolean, 
/**
 * Only orders still to ship whose ship-by deadline is within [`DUE_SOON`] or past.
 */
shipSoon: boolean, 
/**
 * Order number, customer name, product title or SKU contains this (any case).
 */
search: string, offset: number, 
/**
 * Rows per page; 0 means the default of 100.
 */
limit: number, };

export type Deadline = "none" | "ok" | "due_soon" | "overdue";

export type InboxRow = { id: OrderId, channel: ChannelId, channelName: string, channelKind: string, remoteId: string, status: string, 
/**
 * RFC 3339, UTC.
 */
placedAt: string, customerName: string | null, total: Money, lines: number, unknownSkus: number, needsShipping: boolean, 
/**
 * A "mark shipped" is queued and not yet confirmed by the channel.
 */
shipmentPending: boolean, 
/**
 * A "cancel" is queued and not yet confirmed by the channel.
 */
cancelPending: boolean, 
/**
 * RFC 3339, UTC; the moment the channel wants the order shipped by (its earliest open
 * line's deadline).
 */
shipBy: string | null, deadline: Deadline, 
/**
 * Open lines whose customer asked the channel to cancel them (bol.com).
 */
cancelRequests: number, 
/**
 * Lines with units cancelled (by the merchant or on the channel).
 */
linesCancelled: number, };

export type InboxPage = { 
/**
 * Orders matching the filters (all pages).
 */
total: number, 
/**
 * Of those, how many still have to be shipped.
 */
toShip: number, 
/**
 * Of those, how many are past or near their ship-by deadline.
 */
urgent: number, rows: Array<InboxRow>, };

export type OrderLineView = { lineNo: number, sku: string | null, variant: VariantId | null, title: string, quantity: number, unitPrice: Money, lineTotal: Money, 
/**
 * The channel's fee for this line, when it states one.
 */
fee: Money | null, 
/**
 * The SKU matched no variant: the line was kept but stock was not moved.
 */
unknownSku: boolean, 
/**
 * Units of this line cancelled (by the merchant or on the channel).
 */
cancelled: number, 
/**
 * RFC 3339, UTC; the moment the channel cancels this line unless it was shipped.
 */
shipBy: string | null, deadline: Deadline, 
/**
 * The customer asked the channel to cancel this line; the merchant should answer.
 */
cancelRequested: boolean, };

export type CustomerView = { name: string | null, email: string | null, phone: string | null, postcode: string | null, houseNumber: string | null, city: string | null, country: string | null, hidden: Array<string>, };

export type ShipmentView = { carrier: string, tracking: string, 
/**
 * The outbox state: queued, sending, waiting, done, failed, cancelled.
 */
state: string, 
/**
 * Why the channel did not take it (typed for the window to word; a refusal keeps the
 * channel's own reason).
 */
error: StoredFailure | null, at: string, };

export type OrderDetail = { row: InboxRow, lines: Array<OrderLineView>, customer: CustomerView | null, 
/**
 * Sum of the lines (unit price x quantity).
 */
linesTotal: Money, shipping: Money | null, total: Money, 
/**
 * The fee the channel states for the whole order, when it does.
 */
feesReported: Money | null, 
/**
 * Sum of the fees the channel states per line, when it states any.
 */
lineFees: Money | null, shipments: Array<ShipmentView>, cancellations: Array<CancellationView>, 
/**
 * The reasons this channel takes for a cancellation, in the order to offer them.
 */
cancelReasons: Array<CancelReason>, 
/**
 * Whether this channel cancels single lines (else only the whole order).
 */
cancelsLines: boolean, };

export type CancellationView = { 
/**
 * Line numbers; empty means the whole order.
 */
lines: Array<number>, reason: CancelReason, 
/**
 * The outbox state: queued, sending, waiting, done, failed, cancelled.
 */
state: string, 
/**
 * Why the channel did not take it (typed for the window to word; a refusal keeps the
 * channel's own reason).
 */
error: StoredFailure | null, at: string, };

export type CancelReason = "out_of_stock" | "requested_by_customer" | "price_error" | "bad_condition" | "higher_shipping_cost" | "not_available_in_time" | "no_bol_guarantee" | "ordered_twice" | "retain_item" | "tech_issue" | "unfindable_item" | "payment_declined" | "fraud" | "staff" | "other";

export type ChannelFailure = { "kind": "bad_credentials", channel: string, } | { "kind": "rejected", channel: string, field: string, reason: string, } | { "kind": "throttled", channel: string, 
/**
 * Whole seconds on the wire.
 */
retryAfterSecs: number, } | { "kind": "platform_down", channel: string, detail: Outage, } | { "kind": "network_down", channel: string, } | { "kind": "unsupported", channel: string, operation: UnsupportedOperation, };

export type Outage = { "kind": "error_status", status: number, } | { "kind": "timeout" } | { "kind": "connection_broke" } | { "kind": "connection_setup", error: string, } | { "kind": "unreadable_answer", status: number | null, } | { "kind": "incomplete_answer", missing: string, } | { "kind": "still_processing" } | { "kind": "processing_timed_out" } | { "kind": "export_failed", reason: string | null, } | { "kind": "platform_error", message: string, };

export type UnsupportedOperation = "payout_fees" | "review_texts" | "categories" | "cancel_order_lines" | "expected_fees" | "product_ratings";

export type ConnectProblem = { "kind": "no_login" } | { "kind": "keyring_unavailable", error: string, } | { "kind": "login_damaged" } | { "kind": "no_shop_address" } | { "kind": "unsupported_kind", platform: string, };

export type QueuedChange = "listing" | "shipment" | "cancellation";

export type Unsendable = { "kind": "queued_unreadable", what: QueuedChange, error: string, } | { "kind": "not_listed_yet" } | { "kind": "variant_not_listed_yet", sku: string, } | { "kind": "unknown_operation", operation: string, } | { "kind": "same_listing_as", listing: number, };

export type SupersededBy = "adopted_value" | "taken_off_or_put_back";

export type StoredFailure = { "kind": "channel", failure: ChannelFailure, } | { "kind": "unsendable", problem: Unsendable, } | { "kind": "not_connected", channel: string, problem: ConnectProblem, } | { "kind": "superseded", by: SupersededBy, } | { "kind": "cancelled" } | { "kind": "local", detail: string, } | { "kind": "other", text: string, };

export type BatchChannel = { channel: ChannelId, channelName: string, queued: number, sending: number, 
/**
 * Sent, and the channel is still processing it (bol.com's process status).
 */
waiting: number, done: number, failed: number, cancelled: number, };

export type BatchRow = { outboxId: number, channel: ChannelId, listing: ListingId | null, product: ProductId | null, titleNl: string, titleEn: string, 
/**
 * create, update or unpublish.
 */
operation: string, 
/**
 * queued, sending, waiting, done, failed or cancelled.
 */
state: string, attempts: number, 
/**
 * Why it failed (or the last transient failure while retrying), typed for the window to
 * word; a refusal keeps the platform's own reason.
 */
error: StoredFailure | null, };

export type BatchProgress = { batchId: string, channels: Array<BatchChannel>, rows: Array<BatchRow>, 
/**
 * No row can change any more (all done, failed or cancelled).
 */
finished: boolean, };

export type DriftFinding = { listing: ListingId, channel: ChannelId, channelName: string, product: ProductId, productTitle: string, 
/**
 * The field as kanaal-core names it (`title`, `variants[SKU].price`, `listed`).
 */
field: string, 
/**
 * For the label: `title`, `description`, `brand`, `delivery_code` (bol.com's delivery
 * promise), `listed` (the listing is removed or
 * not for sale on the channel: `theirs` is `removed` or `not_for_sale`), or a variant's
 * `price`, `compare_at_price`, `gtin`.
 */
fieldKind: string, 
/**
 * The variant's SKU for a variant field.
 */
sku: string | null, 
/**
 * True when Kanaal's value changed too: the merchant must choose.
 */
conflict: boolean, mine: string, theirs: string, 
/**
 * What the channel last confirmed from Kanaal, if known.
 */
base: string | null, money: boolean, foundAt: string, };

export type DriftChannel = { channel: ChannelId, name: string, lastCheck: string | null, remoteOnly: number, conflicts: number, 
/**
 * The last read-back failed: the window says "bol.com could not be checked for changes;
 * updates wait until it can" in the merchant's language.
 */
unchecked: boolean, 
/**
 * Why that read-back failed, typed for the window to word (ui/src/lib/failures.ts).
 */
uncheckedReason: StoredFailure | null, };

export type DriftOverview = { channels: Array<DriftChannel>, findings: Array<DriftFinding>, };

export type DriftTextField = "title" | "description";

export type DriftOutcome = { "kind": "kept_mine", channel: string, } | { "kind": "catalog_text", field: DriftTextField, } | { "kind": "listing_text", field: DriftTextField, channel: string, } | { "kind": "catalog_brand", brand: string, } | { "kind": "catalog_gtin", sku: string, gtin: string, } | { "kind": "listing_price", sku: string, price: string, channel: string, } | { "kind": "catalog_price", sku: string, price: string, } | { "kind": "listing_delivery_code", code: string, channel: string, } | { "kind": "taken_off", channel: string, } | { "kind": "put_back_as_new", channel: string, } | { "kind": "put_back_on_sale", channel: string, };

export type DriftRefusal = { "kind": "no_longer_open" } | { "kind": "no_ean", channel: string, sku: string, } | { "kind": "compare_at_not_sent", channel: string, } | { "kind": "price_by_rule", channel: string, } | { "kind": "not_adoptable" };

export type PlanProblem = { "kind": "below_minimum_margin", sku: string, price: string, floor: string, } | { "kind": "title_empty" } | { "kind": "title_too_long", chars: number, max: number, } | { "kind": "too_many_options", count: number, max: number, } | { "kind": "no_variants" } | { "kind": "too_many_variants", count: number, max: number, } | { "kind": "category_not_mapped" } | { "kind": "missing_gtin", sku: string, } | { "kind": "price_below_minimum", sku: string, price: string, min: string, } | { "kind": "price_above_maximum", sku: string, price: string, max: string, } | { "kind": "mirror_unreadable", detail: string, } | { "kind": "held_conflict" } | { "kind": "held_remote_change" } | { "kind": "rollback_listing_deleted" } | { "kind": "rollback_no_earlier_values" } | { "kind": "rollback_published_again" } | { "kind": "rollback_changed_on_channel" } | { "kind": "rollback_unreadable" };

export type DriftResolved = { outcome: DriftOutcome | null, refusal: DriftRefusal | null, undoable: boolean, };

export type DriftCheck = { channelName: string, checked: number, remoteOnly: number, conflicts: number, 
/**
 * Why this channel could not be read back, typed for the window to word.
 */
error: StoredFailure | null, };

export type FieldDiff = { field: string, old: string | null, new: string | null, money: boolean, };

export type ListingProblem = { field: string, 
/**
 * What is wrong, with its data; the window words it in the merchant's language
 * (ui/src/lib/planProblems.ts).
 */
problem: PlanProblem, };

export type ListingPreview = { listing: ListingId, product: ProductId, title: string, 
/**
 * create, update, unpublish or nothing.
 */
action: string, changes: Array<FieldDiff>, problems: Array<ListingProblem>, };

export type ChannelPreview = { channel: ChannelId, channelName: string, kind: string, 
/**
 * Why this channel could not be planned (no login saved, unknown platform), typed for the
 * window to word.
 */
error: StoredFailure | null, create: number, update: number, unpublish: number, unchanged: number, blocked: number, 
/**
 * Active products with no listing on this channel yet: what "put them on" would add
 * (`set_products_listed` with no products). Products the merchant took off are not
 * counted; their choice stands.
 */
activeNotListed: number, 
/**
 * Listings that would change or are blocked, up to a few hundred.
 */
listings: Array<ListingPreview>, 
/**
 * Changing or blocked listings left out of `listings`.
 */
more: number, };

export type PublishPreview = { previewId: string, channels: Array<ChannelPreview>, };

export type PublishStarted = { batchId: string, queued: number, alreadyQueued: number, blocked: number, };

export type SendSummary = { sent: number, failed: number, 
/**
 * Rows the platform could not take now; they are tried again later, by themselves.
 */
retryLater: number, 
/**
 * Channels that could not be reached at all, with the reason typed for the window to word.
 */
errors: Array<StoredFailure>, 
/**
 * Names of the channels whose updates wait because they could not be checked for changes
 * made there; the window says "bol.com could not be checked for changes; updates wait
 * until it can" in the merchant's language.
 */
held: Array<string>, cancelled: boolean, };

export type BatchSummary = { batchId: string, 
/**
 * When it was confirmed (RFC 3339).
 */
confirmedAt: string, channels: number, listings: number, done: number, failed: number, 
/**
 * Rows still queued, being sent or waiting for the channel.
 */
open: number, 
/**
 * The batch this one rolled back, for a rollback.
 */
rollbackOf: string | null, };

export type RollbackPreview = { previewId: string, 
/**
 * The publish being rolled back.
 */
batchId: string, 
/**
 * The batch the rollback is sent as (follow it with `publish_progress`).
 */
rollbackBatchId: string, 
/**
 * Per channel: what goes back (`create` / `update` / `unpublish`) with the field changes;
 * listings that cannot be rolled back are `blocked` with the reason as their problem.
 */
channels: Array<ChannelPreview>, sendable: number, refused: number, };

export type ChannelSync = { channelName: string, newOrders: number, updatedOrders: number, 
/**
 * Changes sent to the channel (listings, stock, shipments).
 */
sent: number, failed: number, 
/**
 * Why this channel could not be synced (fully), typed for the window to word.
 */
error: StoredFailure | null, 
/**
 * Its last read-back failed, so its updates wait until it can be checked for changes;
 * the window says so in the merchant's language.
 */
updatesHeld: boolean, };

export type SyncSummary = { channels: Array<ChannelSync>, cancelled: boolean, };

export type InsightsFilter = { from: string | null, to: string | null, channels: Array<string>, };

export type InsightsChannel = { 
/**
 * The kind's code, the key every report row uses.
 */
kind: string, 
/**
 * The merchant's name(s) for the channel(s) of this kind.
 */
name: string, group: ChannelGroup, };

export type ComparisonRow = { channel: string, orders: number, 
/**
 * What customers paid for the goods, incl. VAT.
 */
revenue: Money, fees: Money, 
/**
 * Revenue excl. VAT − cost of goods − fees.
 */
netContribution: Money, 
/**
 * Fees as a fraction of revenue incl. VAT (`"0.1523"`); null without revenue.
 */
takeRate: string | null, reviews: number, 
/**
 * Mean review score, -1..1; null without reviews.
 */
sentiment: number | null, 
/**
 * Aspect codes customers complain about most on this channel, most mentioned first.
 */
topComplaints: Array<string>, 
/**
 * People (resolved persons) who ordered on this channel in the period.
 */
customers: number, 
/**
 * Of those, the people who ordered on no other channel in the period.
 */
uniqueCustomers: number, };

export type Comparison = { 
/**
 * Every channel in the shop (for the filter), whether or not it has data.
 */
allChannels: Array<InsightsChannel>, rows: Array<ComparisonRow>, };

export type FeeTotals = { orders: number, units: number, revenueInclVat: Money, revenueExclVat: Money, goodsCost: Money, fees: Money, netContribution: Money, takeRate: string | null, 
/**
 * Actual − modelled over the orders the platform reported a fee for.
 */
feeDifference: Money, linesWithoutCost: number, };

export type FeeRow = { channel: string, 
/**
 * The month (`YYYY-MM`) or product (SKU or title); empty on channel rows.
 */
key: string, totals: FeeTotals, };

export type FeeCheck = { channel: string, month: string, 
/**
 * What the fee schedule expected, over all orders.
 */
modelled: Money, 
/**
 * What the platform reported, over the orders it reported a fee for.
 */
actual: Money, 
/**
 * What the schedule expected for those same orders.
 */
modelledReported: Money, ordersReported: number, };

export type FeeReport = { channels: Array<FeeRow>, months: Array<FeeRow>, products: Array<FeeRow>, checks: Array<FeeCheck>, 
/**
 * Per order, where the platform reported the fee: unexpected fees and the largest
 * differences first.
 */
orders: Array<FeeOrderCheck>, 
/**
 * Fees counted with VAT on fees as a cost (the merchant uses the KOR).
 */
kor: boolean, 
/**
 * Orders left out, with the reason (no fee schedule for the channel on that day).
 */
skipped: Array<string>, };

export type AspectScore = { aspect: string, score: number, mentions: number, };

export type ReviewChannel = { channel: string, reviews: number, meanScore: number, positive: number, negative: number, meanRating: number | null, aspects: Array<AspectScore>, };

export type ReviewMonth = { channel: string, month: string, reviews: number, meanScore: number, };

export type PlatformComplaint = { channel: string, aspect: string, score: number, mentions: number, 
/**
 * The same aspect's mean score in the webshop; null when webshop customers don't mention it.
 */
webshopScore: number | null, };

export type ReviewToAnswer = { channel: string, createdAt: string, rating: number | null, score: number, text: string, };

export type ReviewReport = { channels: Array<ReviewChannel>, months: Array<ReviewMonth>, platformComplaints: Array<PlatformComplaint>, worstRecent: Array<ReviewToAnswer>, };

export type ChannelSet = { channels: Array<string>, persons: number, };

export type ReachRow = { channel: string, persons: number, onlyHere: number, personsWithOrders: number, repeatPersons: number, };

export type MoveRow = { from: string, to: string, persons: number, };

export type OverlapView = { 
/**
 * Matrix rows and columns, in order.
 */
channels: Array<string>, persons: number, 
/**
 * `matrix[i][j]`: persons seen on both; the diagonal is the channel's own count.
 */
matrix: number[][], 
/**
 * Persons per exact combination of channels, largest first (an UpSet chart's bars).
 */
intersections: Array<ChannelSet>, reach: Array<ReachRow>, movement: Array<MoveRow>, 
/**
 * Customers not matched to a person yet; each counts as a person of their own.
 */
unmatched: number, };

export type MatchSummary = { customers: number, persons: number, 
/**
 * Customers whose person changed in this run.
 */
changed: number, };

export type FeeOrderCheck = { channel: string, 
/**
 * The platform's order number.
 */
order: string, 
/**
 * `YYYY-MM-DD`.
 */
placedOn: string, 
/**
 * What the fee schedule expected (in the platform's own terms, as it reports fees).
 */
modelled: Money, 
/**
 * What the platform charged.
 */
charged: Money, 
/**
 * Charged − modelled.
 */
difference: Money, 
/**
 * Charged more than expected beyond rounding: a fee the schedule does not know.
 */
unexpected: boolean, };

export type VatTreatment = "dutch_vat" | "reverse_charge" | "exempt";

export type DraftBand = { upTo: string, percent: string, fixedPerItem: string, };

export type DraftCommission = { 
/**
 * Empty for the fallback rule.
 */
category: string, bands: Array<DraftBand>, };

export type ScheduleDraft = { channelKind: string, 
/**
 * `YYYY-MM-DD`: the first day the new version applies.
 */
effectiveFrom: string, 
/**
 * Where the figures come from (the merchant's rate card, a dashboard page, with a date).
 */
source: string, commission: Array<DraftCommission>, 
/**
 * Commission percentages are taken of the price incl. VAT (else excl. VAT).
 */
commissionInclVat: boolean, 
/**
 * The shipping the customer paid counts towards the commission basis.
 */
commissionInclShipping: boolean, 
/**
 * Lowest commission per item; empty for none.
 */
minimumPerItem: string, fixedPerOrder: string, listingPerItem: string, fulfilmentPerItem: string, fulfilmentPerOrder: string, 
/**
 * Payment fee as a percentage of what the customer paid, and a fixed amount per order;
 * both empty for no payment fee.
 */
paymentPercent: string, paymentFixed: string, 
/**
 * A monthly subscription, spread over that month's orders.
 */
subscriptionPerMonth: string, feeVat: VatTreatment, 
/**
 * The amounts above already include the VAT on the fee (bol.com quotes them so).
 */
quotedInclVat: boolean, notes: string, };

export type FieldError = { 
/**
 * The field's path in the draft: `effectiveFrom`, `fixedPerOrder`,
 * `commission.0.bands.1.percent`, `commission.2.category`.
 */
field: string, 
/**
 * What is wrong, for the window to word: `required`, `not_a_number`, `negative`,
 * `percent_range`, `too_many_decimals`, `bands_overlap`, `open_band_not_last`,
 * `no_bands`, `no_fallback`, `duplicate_category`, `not_a_date`, `before_current`,
 * `no_source`.
 */
code: string, 
/**
 * The same in English, naming the field.
 */
message: string, };

export type FeeScheduleVersion = { version: number, 
/**
 * First day it applies, `YYYY-MM-DD`.
 */
effectiveFrom: string, 
/**
 * The first day the next version applies (this one no longer); null for the current one.
 */
effectiveUntil: string | null, source: string, 
/**
 * Kanaal's shipped starting point, not yet saved or changed by the merchant.
 */
shippedDefault: boolean, rules: ScheduleDraft, };

export type ChannelFeeSchedules = { 
/**
 * The channel kind's code.
 */
channel: string, versions: Array<FeeScheduleVersion>, 
/**
 * The date "New version from" starts with (`YYYY-MM-DD`): today by the app's clock, or
 * the current version's first day when that is later.
 */
newVersionFrom: string, };

export type OrderFeesView = { "state": "modelled", 
/**
 * The channel kind's code (the Insights page's filter key).
 */
channel: string, 
/**
 * `YYYY-MM`, the month the report lists it under.
 */
month: string, 
/**
 * What the fee schedule expected, in the platform's own terms.
 */
modelled: Money, 
/**
 * What the platform charged, when it reported it.
 */
charged: Money | null, 
/**
 * Charged − modelled, when the platform reported a fee.
 */
difference: Money | null, 
/**
 * Charged more than expected beyond rounding: a fee the schedule does not know.
 */
unexpected: boolean, } | { "state": "cancelled" } | { "state": "refunded" } | { "state": "noSchedule", reason: string, };

export type BreakEvenItem = { channel: string, product: string, webshopPrice: Money, 
/**
 * The price it last sold at on the channel.
 */
channelPrice: Money, 
/**
 * Null when no price on the channel earns what the webshop earns.
 */
breakEven: Money | null, units: number, };

export type BreakEvenView = { 
/**
 * The webshop channel kind prices are compared with; null when the shop has no webshop.
 */
webshop: string | null, items: Array<BreakEvenItem>, };

export type WhatIf = { "kind": "move", from: string, to: string, percent: string, } | { "kind": "raise", channel: string, percent: string, };

export type WhatIfChannel = { channel: string, 
/**
 * Net contribution per month before and after.
 */
before: Money, after: Money, };

export type WhatIfResult = { 
/**
 * Months with orders in the period, over which the figures are averaged.
 */
months: number, before: Money, after: Money, 
/**
 * After − before, per month.
 */
change: Money, 
/**
 * Change over the whole period.
 */
changeInPeriod: Money, channels: Array<WhatIfChannel>, };
