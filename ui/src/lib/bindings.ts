// Generated from the Rust types by ts-rs: `UPDATE_BINDINGS=1 cargo test -p kanaal-app bindings`.
// Do not edit by hand; a test fails when this file and the Rust types differ.

export type Money = { amount: string, currency: string, };

export type ProductStatus = "draft" | "active" | "archived";

export type ProductQuery = { 
/**
 * Words that must all appear in the title (Dutch or English), handle or a SKU/EAN.
 */
search: string | null, status: ProductStatus | null, 
/**
 * The language whose titles the list is sorted by (Dutch when not given).
 */
language: Language | null, offset: number, limit: number, };

export type ProductRow = { id: number, handle: string, titleNl: string, titleEn: string, categoryNl: string | null, categoryEn: string | null, status: ProductStatus, variantCount: number, priceMin: Money | null, priceMax: Money | null, stockTotal: number, imageHash: string | null, skus: Array<string>, };

export type ProductPage = { total: number, rows: Array<ProductRow>, };

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

export type ChannelRow = { id: number, kind: string, name: string, enabled: boolean, listings: number, };

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

export type ProgressStep = { 
/**
 * A stable key for the stage (`"products"`, `"images"`), translated by the UI.
 */
stage: string, done: number, total: number, };

export type DemoSummary = { shopName: string, products: number, variants: number, images: number, locations: number, stockUnits: number, };

export type IpcError = { code: string, message: string, };

export type ProductId = number;

export type VariantId = number;

export type LocationId = number;

export type Field = { "field": "title_nl" } | { "field": "title_en" } | { "field": "description_nl" } | { "field": "description_en" } | { "field": "brand" } | { "field": "status" } | { "field": "tags" } | { "field": "sku" } | { "field": "gtin" } | { "field": "price" } | { "field": "compare_at_price" } | { "field": "cost" } | { "field": "vat_rate" } | { "field": "weight_grams" } | { "field": "stock", "location": LocationId };

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
 * Every stock location, with 0 where the variant has no stock row.
 */
stock: Array<StockAt>, };
