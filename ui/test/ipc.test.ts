// Pins the wire contract with the Rust side: command names (snake_case),
// argument keys (camelCase) and how rejections turn into KanaalError.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
let insideTauri = true;

vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  isTauri: () => insideTauri,
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${encodeURIComponent(path)}`,
  Channel: class<T> {
    onmessage: (message: T) => void = () => {};
  },
}));

const ipc = await import("../src/lib/ipc");

beforeEach(() => {
  invoke.mockReset();
  insideTauri = true;
});

describe("commands", () => {
  it("call the Rust command names with camelCase arguments", async () => {
    invoke.mockResolvedValue(undefined);
    const query = {
      search: "koffie",
      status: "active" as const,
      category: null,
      stock: null,
      channel: null,
      changedSincePublish: false,
      sort: "title" as const,
      descending: false,
      language: "nl" as const,
      offset: 0,
      limit: 50,
    };
    await ipc.appInfo();
    await ipc.setLanguage("en");
    await ipc.listProducts(query);
    await ipc.shopOverview();
    await ipc.listChannels();
    await ipc.listOrders(50, 25);
    await ipc.cancelJob("job-1");
    expect(invoke.mock.calls).toEqual([
      ["app_info", undefined],
      ["set_language", { language: "en" }],
      ["list_products", { query }],
      ["shop_overview", undefined],
      ["list_channels", undefined],
      ["list_orders", { offset: 50, limit: 25 }],
      ["cancel_job", { jobId: "job-1" }],
    ]);
  });

  it("call the editing commands with their argument names", async () => {
    invoke.mockResolvedValue(null);
    const change = {
      target: { kind: "variant" as const, id: 4 },
      field: { field: "price" as const },
      old: "8.95",
      new: "9,50",
    };
    const op = { op: "price_factor" as const, factor: "1.10" };
    await ipc.productVariants(12);
    await ipc.applyChanges([change], "Prijs KOF-001");
    await ipc.bulkPreview([1, 2], op);
    await ipc.undo();
    await ipc.redo();
    await ipc.undoState();
    expect(invoke.mock.calls).toEqual([
      ["product_variants", { product: 12 }],
      ["apply_changes", { changes: [change], label: "Prijs KOF-001" }],
      ["bulk_preview", { products: [1, 2], op }],
      ["undo", undefined],
      ["redo", undefined],
      ["undo_state", undefined],
    ]);
  });

  it("send the import file as the raw body with its options in headers", async () => {
    invoke.mockResolvedValue({ problems: [] });
    const bytes = new TextEncoder().encode("Handle;Title\n");
    await ipc.importCatalog(bytes, { format: "auto", mode: "valid_rows_only", dryRun: true });
    expect(invoke.mock.calls).toEqual([
      [
        "import_catalog",
        bytes,
        {
          headers: {
            "x-kanaal-format": "auto",
            "x-kanaal-mode": "valid_rows_only",
            "x-kanaal-dry-run": "true",
          },
        },
      ],
    ]);
    expect(invoke.mock.calls[0]?.[1]).toBeInstanceOf(Uint8Array);
  });

  it("turn an import rejection into a KanaalError", async () => {
    invoke.mockRejectedValue({ code: "invalid_input", message: "send the file's bytes as the request body" });
    await expect(
      ipc.importCatalog(new Uint8Array(), { format: "shopify", mode: "all_or_nothing", dryRun: false }),
    ).rejects.toMatchObject({ name: "KanaalError", code: "invalid_input" });
  });

  it("passes load_demo a channel that delivers progress", async () => {
    const summary = { shopName: "Brandpunt", products: 72, variants: 180, images: 72, locations: 2, stockUnits: 900 };
    invoke.mockResolvedValue(summary);
    const steps: unknown[] = [];
    await expect(ipc.loadDemo("job-2", (s) => steps.push(s))).resolves.toEqual(summary);
    const [command, args] = invoke.mock.calls[0] as [string, { jobId: string; onProgress: { onmessage(s: unknown): void } }];
    expect(command).toBe("load_demo");
    expect(args.jobId).toBe("job-2");
    args.onProgress.onmessage({ stage: "images", done: 3, total: 72 });
    expect(steps).toEqual([{ stage: "images", done: 3, total: 72 }]);
  });

  it("builds image URLs on the kanaal-image scheme", () => {
    expect(ipc.imageUrl("ab12")).toBe("kanaal-image://localhost/ab12");
  });
});

describe("errors", () => {
  it("turn an IpcError rejection into a KanaalError with its message", async () => {
    invoke.mockRejectedValue({ code: "invalid_input", message: "Dit product bestaat niet meer." });
    const error = await ipc.shopOverview().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ipc.KanaalError);
    expect(error).toMatchObject({ code: "invalid_input", message: "Dit product bestaat niet meer.", cancelled: false });
  });

  it("word a refused input in the window's language, keeping its kind", async () => {
    const { setLanguage } = await import("../src/lib/i18n/index.svelte");
    const problem = { kind: "in_use", field: { field: "sku" }, value: "KOF-1" } as const;
    invoke.mockRejectedValue({
      code: "invalid_input",
      message: "sku: 'KOF-1' is already used by another variant; each must be unique",
      problem,
    });
    setLanguage("nl");
    const error = (await ipc.undo().catch((e: unknown) => e)) as InstanceType<typeof ipc.KanaalError>;
    expect(error).toMatchObject({
      code: "invalid_input",
      message: "SKU 'KOF-1' wordt al door een andere variant gebruikt; elke variant heeft een eigen waarde nodig.",
      problem,
    });
    setLanguage("en");
    const english = (await ipc.undo().catch((e: unknown) => e)) as InstanceType<typeof ipc.KanaalError>;
    expect(english.message).toBe("SKU 'KOF-1' is already used by another variant; each variant needs its own.");
    setLanguage("nl");
  });

  it("recognise a cancelled job", async () => {
    invoke.mockRejectedValue({ code: "cancelled", message: "Gestopt." });
    const error = (await ipc.loadDemo("job-3", () => {}).catch((e: unknown) => e)) as InstanceType<typeof ipc.KanaalError>;
    expect(error.cancelled).toBe(true);
  });

  it("wrap bare strings and Errors as internal, worded with the detail kept", async () => {
    const { setLanguage } = await import("../src/lib/i18n/index.svelte");
    setLanguage("nl");
    const bare = ipc.toKanaalError("command list_x not found");
    expect(bare.code).toBe("internal");
    expect(bare.message).toMatch(/^Er ging iets mis in Kanaal\. .*\(Technisch: command list_x not found\)$/);
    expect(ipc.toKanaalError(new TypeError("boom")).message).toContain("(Technisch: boom)");
  });

  it("word a stop, something deleted meanwhile and unexpected failures in the window's language", async () => {
    const { setLanguage } = await import("../src/lib/i18n/index.svelte");
    setLanguage("nl");
    invoke.mockRejectedValue({ code: "not_found", message: "product 7 was not found. It may have been deleted; refresh the page.", problem: null });
    expect((await ipc.shopOverview().catch((e: unknown) => e)) as Error).toMatchObject({
      code: "not_found",
      message: "Dit bestaat niet meer; het is misschien net verwijderd. Vernieuw de pagina.",
    });
    setLanguage("en");
    invoke.mockRejectedValue({ code: "cancelled", message: "Stopped on request. Nothing was changed.", problem: null });
    expect(((await ipc.shopOverview().catch((e: unknown) => e)) as Error).message).toBe("Stopped on request. Nothing was changed.");
    invoke.mockRejectedValue({ code: "internal", message: "The local database reported a problem: disk I/O error.", problem: null });
    expect(((await ipc.shopOverview().catch((e: unknown) => e)) as Error).message).toBe(
      "Something went wrong in Kanaal. Your saved changes are safe; try again, and if it keeps happening, make a copy of the data folder and report it. (Technical: The local database reported a problem: disk I/O error.)",
    );
    invoke.mockRejectedValue({ code: "connection_failed", message: "bol.com did not accept the login details.", problem: null });
    expect(((await ipc.shopOverview().catch((e: unknown) => e)) as Error).message).toBe("bol.com did not accept the login details.");
    setLanguage("nl");
  });

  it("refuse politely outside the desktop app", async () => {
    insideTauri = false;
    await expect(ipc.appInfo()).rejects.toMatchObject({ code: ipc.NO_BACKEND });
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe("newJobId", () => {
  it("makes distinct ids", () => {
    expect(ipc.newJobId()).not.toBe(ipc.newJobId());
  });
});
