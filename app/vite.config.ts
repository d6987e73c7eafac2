import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Relative asset paths: the built app can be served from any folder. The SDK is bundled from its
// sources (one module per action), so that code only a lazy page uses (the auditor) loads with that
// page instead of with the board.
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { alias: { "@huzhu/sdk": fileURLToPath(new URL("../sdk/src/index.ts", import.meta.url)) } },
  build: { target: "es2022", chunkSizeWarningLimit: 900 },
});
