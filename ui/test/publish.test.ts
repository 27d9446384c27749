import { describe, expect, it } from "vitest";
import type { BatchChannel, ChannelPreview, PublishPreview } from "../src/lib/bindings";
import { batchCounts, fieldName, notListedOffer, percentSettled, toSend } from "../src/lib/publish";

const channel = (c: Partial<ChannelPreview>): ChannelPreview => ({
  channel: 1,
  channelName: "bol.com",
  kind: "bol",
  error: null,
  create: 0,
  update: 0,
  unpublish: 0,
  unchanged: 0,
  blocked: 0,
  activeNotListed: 0,
  listings: [],
  more: 0,
  ...c,
});

const batch = (c: Partial<BatchChannel>): BatchChannel => ({
  channel: 1,
  channelName: "bol.com",
  queued: 0,
  sending: 0,
  waiting: 0,
  done: 0,
  failed: 0,
  cancelled: 0,
  ...c,
});

describe("fieldName", () => {
  it("names listing-level fields", () => {
    expect(fieldName("title")).toEqual({ field: "title", sku: null, raw: "title" });
    expect(fieldName("delivery_code")).toEqual({ field: "deliveryCode", sku: null, raw: "delivery_code" });
  });

  it("splits a variant field into field and SKU, even when the SKU has brackets or dots", () => {
    expect(fieldName("variants[KOF-1].price")).toMatchObject({ field: "price", sku: "KOF-1" });
    expect(fieldName("variants[A.[2]].option_values")).toMatchObject({ field: "optionValues", sku: "A.[2]" });
  });

  it("keeps an unknown field's own name so nothing is hidden", () => {
    expect(fieldName("variants[X].colour")).toEqual({ field: null, sku: "X", raw: "variants[X].colour" });
    expect(fieldName("weird")).toEqual({ field: null, sku: null, raw: "weird" });
  });
});

describe("toSend", () => {
  it("counts creates, updates and unpublishes over channels, not unchanged or blocked ones", () => {
    const preview: PublishPreview = {
      previewId: "p",
      channels: [channel({ create: 3, update: 2, unchanged: 9, blocked: 4 }), channel({ channel: 2, unpublish: 1 })],
    };
    expect(toSend(preview)).toBe(6);
    expect(toSend(null)).toBe(0);
  });
});

describe("batch progress", () => {
  it("counts rows with an outcome as settled, the rest as open", () => {
    const c = batch({ queued: 2, sending: 1, waiting: 1, done: 4, failed: 1, cancelled: 1 });
    expect(batchCounts(c)).toEqual({ total: 10, settled: 6, open: 4 });
    expect(percentSettled(c)).toBe(60);
  });

  it("an empty channel counts as finished, not as 0 of 0", () => {
    expect(percentSettled(batch({}))).toBe(100);
  });

  it("rounds down so a batch shows 100% only when everything has an outcome", () => {
    expect(percentSettled(batch({ done: 199, queued: 1 }))).toBe(99);
  });
});

describe("notListedOffer", () => {
  it("offers nothing when every active product is on the channel", () => {
    expect(notListedOffer(channel({ unchanged: 4 }))).toBeNull();
  });

  it("is the main step on a channel with no listings at all", () => {
    expect(notListedOffer(channel({ activeNotListed: 12 }))).toEqual({ count: 12, main: true });
  });

  it("is a side note on a channel that already carries products", () => {
    expect(notListedOffer(channel({ activeNotListed: 3, unchanged: 5, create: 1 }))).toEqual({ count: 3, main: false });
    expect(notListedOffer(channel({ activeNotListed: 1, blocked: 1 }))?.main).toBe(false);
  });

  it("offers nothing on a channel that could not be planned", () => {
    expect(notListedOffer(channel({ activeNotListed: 5, error: { kind: "other", text: "no login" } }))).toBeNull();
  });
});
