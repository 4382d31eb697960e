// A browser app on another origin calling the API: headless Chromium loads a
// page from a second local server (the front end's origin, listed in the
// BFF's ALLOWED_ORIGINS by run.sh) whose script POSTs a query with a bearer
// token, so Chromium sends a CORS preflight first. The same page from an
// origin not listed is refused by the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { baseURL, tokenMe } from "./lib.mjs";

const appPort = Number(process.env.E2E_APP_PORT);
const allowedOrigin = `http://127.0.0.1:${appPort}`;
const otherOrigin = `http://localhost:${appPort}`; // same server, another origin

const PAGE = `<!doctype html><meta charset="utf-8"><title>lender app</title>
<script>
window.callBFF = async (url, token) => {
  const r = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
    body: JSON.stringify({ query: '{ me(productID: "PFM_DASHBOARD") { id accounts { id balance { amount currency } } } }' }),
  });
  return { status: r.status, requestId: r.headers.get("X-Request-Id"), body: await r.json() };
};
</script>`;

let app;
let context;
let profile;

before(async () => {
  assert.ok(appPort > 0, "E2E_APP_PORT is not set: run the tests with e2e/run.sh");
  app = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  await new Promise((resolve) => app.listen(appPort, "127.0.0.1", resolve));
  profile = await mkdtemp(path.join(tmpdir(), "bff-chromium-cors-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    chromiumSandbox: false,
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
});

test("a page on an allowed origin calls the API (preflight, then the query)", async () => {
  const page = await context.newPage();
  const preflights = [];
  page.on("request", (r) => {
    if (r.method() === "OPTIONS") preflights.push(r.url());
  });
  // Chromium hides preflights from page events; the network domain shows them.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.method === "OPTIONS") preflights.push(e.request.url);
  });
  await page.goto(`${allowedOrigin}/`);
  const res = await page.evaluate(([u, t]) => window.callBFF(u, t), [`${baseURL}/graphql`, tokenMe]);
  assert.equal(res.status, 200);
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  assert.ok(res.body.data.me.accounts.length > 0, "no accounts");
  assert.match(res.requestId ?? "", /\S/, "X-Request-Id is not exposed to the page");
  assert.ok(preflights.some((u) => u === `${baseURL}/graphql`), "Chromium sent no preflight: the test does not test CORS");
  await page.close();
});

test("the same page on an origin not allowed is refused by the browser", async () => {
  const page = await context.newPage();
  await page.goto(`${otherOrigin}/`);
  const err = await page.evaluate(async ([u, t]) => {
    try {
      await window.callBFF(u, t);
      return "the call succeeded";
    } catch (e) {
      return e.name;
    }
  }, [`${baseURL}/graphql`, tokenMe]);
  assert.equal(err, "TypeError", "the browser let a page on another origin read the answer");
  await page.close();
});
