// The graphql-http audit suite (the GraphQL over HTTP spec's conformance
// checks, https://github.com/graphql/graphql-http) against the running BFF,
// as an authenticated partner app: 0 warnings and 0 errors. Notices are
// printed; each one left is explained in the README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serverAudits } from "graphql-http";
import { baseURL, tokenAny } from "./lib.mjs";

// authorized adds the partner token to every audit request: without it every
// audit would see the same 401.
function authorized(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${tokenAny}`);
  return fetch(input, { ...init, headers });
}

// Notices the BFF leaves, by audit id, each with its reason (also in the README).
const acceptedNotices = new Map();

test("graphql-http audits: 0 warnings, 0 errors", async () => {
  const results = [];
  for (const audit of serverAudits({ url: `${baseURL}/graphql`, fetchFn: authorized })) {
    results.push(await audit.fn());
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  console.log(`graphql-http audits: ${count("ok")} ok, ${count("notice")} notices, ${count("warn")} warnings, ${count("error")} errors`);
  const bad = [];
  for (const r of results) {
    if (r.status === "ok") continue;
    const line = `${r.status} ${r.id}: ${r.name}: ${r.reason}`;
    if (r.status === "notice") {
      console.log(`  ${line}${acceptedNotices.has(r.id) ? ` (accepted: ${acceptedNotices.get(r.id)})` : ""}`);
      if (!acceptedNotices.has(r.id)) bad.push(line);
      continue;
    }
    bad.push(line);
  }
  assert.ok(results.length >= 50, `only ${results.length} audits ran`);
  assert.deepEqual(bad, [], "audits not passed");
});
