import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Relative asset paths: the built app can be served from any folder.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { target: "es2022", chunkSizeWarningLimit: 900 },
});
