import { describe, expect, it } from "vitest";
import type { CustomerView } from "../src/lib/bindings";
import { cancelScope, cancellableLines, customerFields, deadlineMessage, emptyQuery, formatDeadline, isFiltered, isUrgent } from "../src/lib/orders";

describe("deadlineMessage", () => {
  it("says bol.com cancels, another channel expects, and overdue is overdue", () => {
    const at = "2026-03-10T17:00:00Z";
    expect(deadlineMessage({ channelKind: "bol", deadline: "due_soon", shipBy: at })).toBe("cancels");
    expect(deadlineMessage({ channelKind: "bol", deadline: "ok", shipBy: at })).toBe("cancels");
    expect(deadlineMessage({ channelKind: "shopify", deadline: "ok", shipBy: at })).toBe("expects");
    expect(deadlineMessage({ channelKind: "bol", deadline: "overdue", shipBy: at })).toBe("overdue");
  });

  it("has nothing to say without a deadline", () => {
    expect(deadlineMessage({ channelKind: "bol", deadline: "none", shipBy: "2026-03-10T17:00:00Z" })).toBeNull();
    expect(deadlineMessage({ channelKind: "bol", deadline: "ok", shipBy: null })).toBeNull();
  });

  it("only near and past deadlines are urgent", () => {
    expect([isUrgent("due_soon"), isUrgent("overdue"), isUrgent("ok"), isUrgent("none")]).toEqual([true, true, false, false]);
  });
});

describe("isFiltered", () => {
  it("an empty query is not filtered; any one filter is", () => {
    expect(isFiltered(emptyQuery())).toBe(false);
    expect(isFiltered({ ...emptyQuery(), search: "  " })).toBe(false);
    expect(isFiltered({ ...emptyQuery(), channel: 2 })).toBe(true);
    expect(isFiltered({ ...emptyQuery(), unknownSku: true })).toBe(true);
    expect(isFiltered({ ...emptyQuery(), status: "open" })).toBe(true);
    expect(isFiltered({ ...emptyQuery(), shipSoon: true })).toBe(true);
  });
});

describe("customerFields", () => {
  it("marks the fields the platform hides and joins postcode and house number", () => {
    const c: CustomerView = {
      name: "J. de Vries",
      email: "2xk9@verkopen.bol.com",
      phone: null,
      postcode: "1012AB",
      houseNumber: "5",
      city: "Amsterdam",
      country: "NL",
      hidden: ["email", "phone"],
    };
    const f = customerFields(c);
    expect(f.find((x) => x.field === "email")).toEqual({ field: "email", value: "2xk9@verkopen.bol.com", hidden: true });
    expect(f.find((x) => x.field === "phone")).toEqual({ field: "phone", value: null, hidden: true });
    expect(f.find((x) => x.field === "address")).toEqual({ field: "address", value: "1012AB 5", hidden: false });
  });

  it("an address is hidden when either part is", () => {
    const c: CustomerView = {
      name: null, email: null, phone: null, postcode: null, houseNumber: null, city: null, country: "NL",
      hidden: ["house_number"],
    };
    expect(customerFields(c).find((x) => x.field === "address")?.hidden).toBe(true);
  });
});

describe("orderNumber", () => {
  it("shows Shopify's API id as its number and leaves other channels' numbers alone", async () => {
    const { orderNumber } = await import("../src/lib/orders");
    expect(orderNumber("gid://shopify/Order/1360688")).toBe("1360688");
    expect(orderNumber("1043000257")).toBe("1043000257");
    expect(orderNumber("A-12/3")).toBe("A-12/3");
  });
});

describe("formatDeadline", () => {
  it("says the weekday and the time, so 'ship by Tuesday 14:00' reads at a glance", () => {
    const at = "2026-11-10T13:00:00Z"; // Tuesday, 14:00 in Amsterdam
    expect(formatDeadline(at, "en", "Europe/Amsterdam")).toMatch(/Tuesday.*14:00/);
    expect(formatDeadline(at, "nl", "Europe/Amsterdam")).toMatch(/dinsdag.*14:00/);
  });
});

describe("cancelling", () => {
  const line = (lineNo: number, quantity: number, cancelled: number) => ({
    lineNo,
    sku: null,
    variant: null,
    title: "x",
    quantity,
    unitPrice: { amount: "1.00", currency: "EUR" },
    lineTotal: { amount: "1.00", currency: "EUR" },
    fee: null,
    unknownSku: false,
    cancelled,
  });

  it("only lines with units left can be cancelled", () => {
    expect(cancellableLines([line(1, 2, 2), line(2, 1, 0)]).map((l) => l.lineNo)).toEqual([2]);
  });

  it("no line or every open line ticked cancels the order; some lines only where the channel can", () => {
    expect(cancelScope([], 3, true)).toBe("order");
    expect(cancelScope([1, 2, 3], 3, false)).toBe("order");
    expect(cancelScope([2], 3, true)).toBe("lines");
    expect(cancelScope([2], 3, false)).toBe("notPossible");
  });
});
