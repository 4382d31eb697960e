// Bundles GraphiQL into dist/ for playground.go to embed. Everything the page
// needs ends up in three files: no CDN, no workers, no fonts from the network.
import * as esbuild from "esbuild";
import { copyFile, mkdir, writeFile } from "node:fs/promises";

const outdir = new URL("./dist/", import.meta.url);
await mkdir(outdir, { recursive: true });
await writeFile(new URL(".keep", outdir), "");

await esbuild.build({
  entryPoints: { playground: "src/index.jsx" },
  bundle: true,
  format: "iife",
  minify: true,
  sourcemap: false,
  target: ["es2020"],
  outdir: "dist",
  jsx: "automatic",
  loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl", ".png": "dataurl" },
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "linked",
  logLevel: "info",
});
await copyFile(new URL("./src/index.html", import.meta.url), new URL("index.html", outdir));
