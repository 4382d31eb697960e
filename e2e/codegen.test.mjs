// Codegen as a TypeScript frontend team runs it: fetch the SDL from
// GET /graphql/schema.graphql (the supported way to the schema where
// introspection is off), check it is the repository's schema.graphql, run
// graphql-codegen (typescript-operations, typed-document-node) over it and
// the e2e clients' documents, and type-check the result with tsc --strict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { baseURL, tokenAny } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, "codegen");
const bin = (name) => path.join(here, "node_modules", ".bin", name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", timeout: 180000 });
  assert.equal(r.status, 0, `${path.basename(cmd)} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

test("the served SDL is schema.graphql, and codegen plus tsc accept it", async () => {
  const res = await fetch(`${baseURL}/graphql/schema.graphql`, { headers: { Authorization: `Bearer ${tokenAny}` } });
  assert.equal(res.status, 200);
  const sdl = await res.text();
  assert.equal(sdl, readFileSync(path.join(here, "..", "schema.graphql"), "utf8"), "the served SDL differs from schema.graphql");
  writeFileSync(path.join(dir, "schema.graphql"), sdl);
  rmSync(path.join(dir, "generated"), { recursive: true, force: true });
  run(bin("graphql-codegen"), ["--config", "codegen.yml"]);
  run(bin("tsc"), ["-p", "tsconfig.json"]);
});
