import { describe, expect, it } from "vitest";
import type { CustomerView } from "../src/lib/bindings";
import {
  cancelScope,
  cancellableLines,
  customerFields,
  deadlineMessage,
  emptyQuery,
  formatDeadline,
  hasLineDeadlines,
  isFiltered,
  isUrgent,
  requestedLines,
} from "../src/lib/orders";

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

  it("says a bol.com deadline (midnight in the Netherlands) as the end of the Dutch day before", () => {
    // expiryDate 2026-12-02: bol cancels from the start of Wednesday, Dutch time (23:00 UTC).
    const at = "2026-12-01T23:00:00Z";
    expect(formatDeadline(at, "en")).toBe("end of Tuesday 1 Dec");
    expect(formatDeadline(at, "nl")).toBe("eind dinsdag 1 dec");
  });

  it("means Dutch time whatever the computer's time zone, in summer time too", () => {
    // 22:00 UTC in July is midnight in Amsterdam (UTC+2): the end of Friday 3 July.
    expect(formatDeadline("2026-07-03T22:00:00Z", "en")).toBe("end of Friday 3 Jul");
    // A computer set to New York or Tokyo still says the Dutch day's end.
    // (Node reads its time zone from TZ; the UI's type checking has no Node types.)
    const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
    const own = env.TZ;
    try {
      for (const [tz, localHour] of [["America/New_York", 18], ["Asia/Tokyo", 8], ["UTC", 23]] as const) {
        env.TZ = tz;
        expect(new Date("2026-12-01T23:00:00Z").getHours(), `the computer's clock is set to ${tz}`).toBe(localHour);
        expect(formatDeadline("2026-12-01T23:00:00Z", "en")).toBe("end of Tuesday 1 Dec");
      }
    } finally {
      if (own === undefined) delete env.TZ;
      else env.TZ = own;
    }
    // Not midnight in Amsterdam (midnight in UTC): an ordinary moment with its Dutch time.
    expect(formatDeadline("2026-12-02T00:00:00Z", "en")).toBe("Wednesday 2 Dec, 01:00");
    expect(formatDeadline("2026-12-02T00:00:00Z", "nl")).toBe("woensdag 2 dec, 01:00");
  });

  it("reads as the sentence the page shows", () => {
    const date = formatDeadline("2026-12-01T23:00:00Z", "en");
    expect(`Ship by ${date} or bol.com cancels the order.`).toBe("Ship by end of Tuesday 1 Dec or bol.com cancels the order.");
  });

  it("leaves text that is not a moment as it is", () => {
    expect(formatDeadline("soon", "en")).toBe("soon");
  });
});

describe("lines the customer asked to cancel, and per-line deadlines", () => {
  const line = (lineNo: number, quantity: number, cancelled: number, cancelRequested: boolean, shipBy: string | null) => ({
    lineNo,
    sku: null,
    variant: null,
    title: `line ${lineNo}`,
    quantity,
    unitPrice: { amount: "1.00", currency: "EUR" },
    lineTotal: { amount: "1.00", currency: "EUR" },
    fee: null,
    unknownSku: false,
    cancelled,
    shipBy,
    deadline: shipBy ? ("ok" as const) : ("none" as const),
    cancelRequested,
  });

  it("a request counts only on a line with units left", () => {
    const lines = [line(1, 2, 0, true, null), line(2, 1, 1, true, null), line(3, 1, 0, false, null)];
    expect(requestedLines(lines).map((l) => l.lineNo)).toEqual([1]);
  });

  it("a ship-by column per line only when an open line has a deadline", () => {
    expect(hasLineDeadlines([line(1, 1, 0, false, "2026-12-01T23:00:00Z")])).toBe(true);
    expect(hasLineDeadlines([line(1, 1, 1, false, "2026-12-01T23:00:00Z"), line(2, 1, 0, false, null)])).toBe(false);
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
    shipBy: null,
    deadline: "none" as const,
    cancelRequested: false,
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
