import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// Tauri loads the built files from disk (relative base) and the dev server on
// a fixed port that tauri.conf.json points at, so the port must not drift.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    // Linux runs the app in WebKitGTK, roughly Safari 15 in features.
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
