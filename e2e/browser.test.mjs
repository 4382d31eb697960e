// Browser test: the GraphiQL playground in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core, no downloaded browser). It runs
// the dashboard example, starts the subscription example, sees an event after
// a sandbox approval, and fails if the page requests any host but the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { baseURL, demoConsents, transition, newPendingConsent, primeSubscription } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.E2E_ARTIFACTS || path.join(here, "artifacts");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const serverHost = new URL(baseURL).host;

let context;
let page;
let profile;
const requests = []; // every URL the browser asked for, websockets included
const problems = []; // console errors, CSP violations, page errors

before(async () => {
  await mkdir(artifacts, { recursive: true });
  profile = await mkdtemp(path.join(tmpdir(), "bff-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    chromiumSandbox: false, // CI runs as root: --no-sandbox
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1400, height: 900 },
  });
  context.on("request", (r) => requests.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on("websocket", (ws) => requests.push(ws.url()));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

function external() {
  return requests.filter((u) => {
    if (u.startsWith("data:") || u.startsWith("blob:") || u === "about:blank") return false;
    return new URL(u).host !== serverHost;
  });
}

const response = () => page.locator(".graphiql-response");

async function openTab(title) {
  await page.locator(".graphiql-tab", { hasText: title }).first().click();
}

async function run() {
  await page.locator("button.graphiql-execute-button").click();
}

test("playground loads and runs the dashboard example", async () => {
  const res = await page.goto(`${baseURL}/playground`, { waitUntil: "load" });
  assert.equal(res.status(), 200, "GET /playground");
  assert.match(res.headers()["content-security-policy"] ?? "", /default-src 'self'/);
  await page.locator(".graphiql-tab", { hasText: "Dashboard" }).first().waitFor({ timeout: 20000 });
  await openTab("Dashboard");
  await run();
  await page.waitForFunction(
    () => /"totalBalance"/.test(document.querySelector(".graphiql-response")?.textContent ?? ""),
    null,
    { timeout: 30000 },
  );
  const text = await response().textContent();
  assert.doesNotMatch(text, /"errors"/, "the dashboard answered with errors");
  assert.match(text, /"mobileNumber": "9876543210"/);
  await page.screenshot({ path: path.join(artifacts, "playground-dashboard.png") });
  assert.deepEqual(external(), [], "the page requested another host");
});

test("playground subscription sees a sandbox approval", async () => {
  const pending = await newPendingConsent();
  const active = (await demoConsents()).find((c) => c.status === "ACTIVE");
  assert.ok(active, "the demo customer has no ACTIVE consent");

  await openTab("ConsentStatusChanged");
  await run();
  const shown = async () => (await response().textContent()) ?? "";
  await primeSubscription(active.consentHandle, async () => /"eventStatus"/.test(await shown()));
  await transition(pending, "approve");
  await page.waitForFunction(
    (h) => {
      const t = document.querySelector(".graphiql-response")?.textContent ?? "";
      return t.includes(h) && t.includes("CONSENT_APPROVED");
    },
    pending,
    { timeout: 20000 },
  );
  await page.screenshot({ path: path.join(artifacts, "playground-subscription.png") });
  assert.ok(requests.some((u) => u.startsWith("ws://") || u.startsWith("wss://")), "no websocket was opened");
  await run(); // stop the subscription
});

test("no request left the server's host and the page logged no errors", () => {
  assert.ok(requests.length > 0, "no request was recorded");
  assert.deepEqual(external(), [], "the page requested another host");
  assert.deepEqual(problems, [], "the page logged errors");
});

// The detector itself: a request to another host (here blocked by the CSP, so
// it shows as a violation) must be caught by the checks above.
test("the checks catch a request to another host", async () => {
  const before = { requests: requests.length, problems: problems.length };
  await page.evaluate(() => fetch("http://192.0.2.1:9/probe").catch(() => {}));
  const caught = await (async () => {
    for (let i = 0; i < 100; i++) {
      const newReqs = requests.slice(before.requests).filter((u) => new URL(u).host !== serverHost);
      const newProblems = problems.slice(before.problems).filter((p) => p.includes("192.0.2.1") || /Content Security Policy/i.test(p));
      if (newReqs.length > 0 || newProblems.length > 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  })();
  assert.ok(caught, "a fetch to another host went unnoticed");
});
