// Shared app-wide data: AppInfo and ShopOverview are small and used by the
// top bar, status line and several pages, so they are loaded once here and
// refreshed after anything that changes the catalog.

import type { AppInfo, ShopOverview } from "./bindings";
import { initialLanguage, setLanguage } from "./i18n/index.svelte";
import * as ipc from "./ipc";
import { KanaalError, toKanaalError } from "./ipc";

class AppState {
  info = $state<AppInfo | null>(null);
  overview = $state<ShopOverview | null>(null);
  error = $state<KanaalError | null>(null);
  loading = $state(false);
  /** Bumped after the data changed underneath (demo loaded); pages re-fetch on change. */
  dataVersion = $state(0);
  /** The user chose "start empty" on the welcome panel this session. */
  welcomeDismissed = $state(false);

  /** Sum of catalog changes waiting for any channel. */
  pendingChanges = $derived(this.overview?.pendingChanges.reduce((sum, c) => sum + c.pending, 0) ?? 0);

  async start(): Promise<void> {
    await this.refresh();
    if (this.info) {
      const os = typeof navigator === "undefined" ? undefined : navigator.language;
      setLanguage(initialLanguage(this.info.language, os));
    }
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const [info, overview] = await Promise.all([ipc.appInfo(), ipc.shopOverview()]);
      this.info = info;
      this.overview = overview;
      this.error = null;
    } catch (reason) {
      this.error = toKanaalError(reason);
    } finally {
      this.loading = false;
    }
  }

  /** Called after the demo shop loaded: everything on screen may be stale. */
  async dataChanged(): Promise<void> {
    await this.refresh();
    this.dataVersion++;
  }
}

export const app = new AppState();
