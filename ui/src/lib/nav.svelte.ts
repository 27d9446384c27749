// Which page is showing. Kept in the URL hash so a reload (or the dev
// server's hot reload) lands on the same page, without a router library.

import { tick } from "svelte";

export const PAGES = ["catalog", "publish", "orders", "insights", "channels", "settings"] as const;
export type Page = (typeof PAGES)[number];

function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, "");
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : "catalog";
}

let current = $state<Page>(typeof location === "undefined" ? "catalog" : pageFromHash(location.hash));

export const nav = {
  get page(): Page {
    return current;
  },
};

export function goTo(page: Page): void {
  current = page;
  if (typeof history !== "undefined" && location.hash !== `#/${page}`) {
    history.pushState(null, "", `#/${page}`);
  }
}

/** Switches page and moves focus to its heading, so keyboard and screen-reader users land on it. */
export async function navigate(page: Page): Promise<void> {
  goTo(page);
  await tick();
  document.querySelector<HTMLElement>('[data-testid="page-title"]')?.focus();
}

/** Keeps the page in step with the browser's back/forward; returns the cleanup. */
export function followHash(): () => void {
  const onChange = () => {
    current = pageFromHash(location.hash);
  };
  window.addEventListener("popstate", onChange);
  window.addEventListener("hashchange", onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener("hashchange", onChange);
  };
}
