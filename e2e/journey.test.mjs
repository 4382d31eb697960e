// The consent and data journey in headless Chromium: a lender's page
// (journey-app.html, served here on the origin run.sh lists in the BFF's
// CONSENT_REDIRECT_URLS and ALLOWED_ORIGINS) requests a consent through the
// BFF, the browser follows the redirect to the sandbox's Account Aggregator
// page, the test approves or rejects there as the customer would, the AA
// sends the browser back (303) with ecres, resdate and fi, and the page
// completes the return, waits for the data on its consentEvents subscription
// and shows the balances. The page's comment says why it subscribes on its
// return and catches up with the completion's answer: that is what a real
// app that navigates to the AA must do, since its websocket dies with the
// page. A second subscriber, here in node and live before the approval (the
// app's other tab, or its back office), sees the whole journey on one stream:
// CONSENT_APPROVED (ACTIVE), then DATA_READY.
//
// "No polling" is asserted from the sandbox's call counts over the journey:
// every /consent/firequest/status and /v3/getconsentslist call is one that a
// single operation of the page, or a subscription placing its consent,
// explains; a page that polled until the data was ready would make more
// (the data arrives E2E_FETCH_DELAY after the approval).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { baseURL, tokenMe, demoMobile, product, poll, transition, within } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.E2E_ARTIFACTS || path.join(here, "artifacts");
const appPort = Number(process.env.E2E_JOURNEY_PORT);
const appOrigin = `http://127.0.0.1:${appPort}`;
const fetchDelay = parseDuration(process.env.E2E_FETCH_DELAY || "0s");

// The FinPro paths whose call counts tell a poll from a screen's queries.
const WATCHED = ["/consent/firequest/status", "/v3/getconsentslist", "/getfibalance", "/webRedirection/decryptUrl", "/v3/requestconsent"];

let app;
let context;
let profile;
const problems = []; // page errors of every page opened
const leftover = new Set(); // consent handles to revoke at the end

function parseDuration(s) {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(s);
  assert.ok(m, `E2E_FETCH_DELAY ${s}: want e.g. 300ms`);
  return Number(m[1]) * (m[2] === "s" ? 1000 : 1);
}

before(async () => {
  assert.ok(appPort > 0, "E2E_JOURNEY_PORT is not set: run the tests with e2e/run.sh");
  assert.ok(fetchDelay > 0, "E2E_FETCH_DELAY must be positive: the data must arrive after ACTIVE");
  await mkdir(artifacts, { recursive: true });
  const html = await readFile(path.join(here, "journey-app.html"), "utf8");
  const wsLib = await readFile(path.join(here, "node_modules/graphql-ws/umd/graphql-ws.min.js"));
  // What a server-rendered app puts in its page: where the API is and the
  // signed-in customer's token.
  const config = JSON.stringify({ bff: baseURL, token: tokenMe, mobile: demoMobile, productID: product }).replace(/</g, "\\u003c");
  const page = html.replace("<!--CONFIG-->", `<script id="config" type="application/json">${config}</script>`);
  app = createServer((req, res) => {
    const p = new URL(req.url, appOrigin).pathname;
    if (p === "/graphql-ws.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" });
      return res.end(wsLib);
    }
    if (p === "/" || p === "/return") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      return res.end(page);
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => app.listen(appPort, "127.0.0.1", resolve));
  profile = await mkdtemp(path.join(tmpdir(), "bff-chromium-journey-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    chromiumSandbox: false,
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1200, height: 900 },
  });
});

after(async () => {
  await fetch(`${baseURL}/_sandbox/fetch/outcomes`, { method: "DELETE" }).catch(() => {});
  // The journeys' consents would add accounts to the demo customer's
  // dashboard (one of them without data): revoke them.
  for (const h of leftover) await transition(h, "revoke").catch(() => {});
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await new Promise((resolve) => (app ? app.close(resolve) : resolve()));
});

async function stats() {
  const res = await fetch(`${baseURL}/_sandbox/stats`);
  assert.equal(res.status, 200, "GET /_sandbox/stats");
  return (await res.json()).calls;
}

function delta(before, after) {
  const out = {};
  for (const p of WATCHED) out[p] = (after[p] ?? 0) - (before[p] ?? 0);
  return out;
}

/**
 * A node-side consentEvents subscriber for one consent handle: events
 * collects what it receives.
 */
async function observe(handle) {
  const events = [];
  const errors = [];
  const client = createClient({
    url: baseURL.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { Authorization: `Bearer ${tokenMe}` },
  });
  await within(10000, "the observer's connection_ack", new Promise((resolve, reject) => {
    client.on("connected", resolve);
    client.on("closed", (e) => reject(new Error(`observer closed: ${e?.code}`)));
  }));
  client.subscribe(
    {
      query: `subscription Observe($p: ID!, $h: ID!) { consentEvents(productID: $p, consentHandle: $h) {
        __typename consentHandle cursor
        ... on ConsentStatusEvent { status consentEvent: eventStatus }
        ... on DataStatusEvent { dataEvent: dataEventStatus state accounts { linkReferenceNumber state } }
      } }`,
      variables: { p: product, h: handle },
    },
    {
      next: (r) => {
        if (r.errors) return errors.push(r.errors);
        // The two kinds' eventStatus differ in type, hence the aliases.
        const { consentEvent, dataEvent, ...ev } = r.data.consentEvents;
        events.push({ ...ev, eventStatus: consentEvent ?? dataEvent });
      },
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return { events, errors, close: () => client.dispose() };
}

/**
 * Walks the journey in a new page: connect, the AA page (where prepare may
 * look at the offered accounts before the decision), decide, back. It returns
 * the page's final state, the observer's events, the sandbox's call counts
 * over the journey and the offered accounts.
 */
async function journey(name, decision, prepare = async () => {}) {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${name}: pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`${name}: console: ${m.text()}`));
  let observer;
  try {
    await page.goto(`${appOrigin}/`);
    await page.locator("#connect").click();
    await page.waitForURL(/\/_sandbox\/aa\/consent\?/, { timeout: 15000 });
    const section = page.locator("section.card").first();
    const handle = (await section.getAttribute("id")).replace(/^consent-/, "");
    leftover.add(handle);
    const offered = await page.locator('input[name="account"]').evaluateAll((els) =>
      els.map((e) => ({ linkRef: e.value, label: e.parentElement.textContent.trim() })),
    );
    assert.ok(offered.length > 1, `the AA page offers ${offered.length} accounts`);
    await prepare(offered);
    observer = await observe(handle);
    await page.screenshot({ path: path.join(artifacts, `journey-${name}-aa.png`) });
    const before = await stats();
    await page.locator(`button.${decision}`).click();
    await page.waitForURL(new RegExp(`^${appOrigin}/return`), { timeout: 15000 });
    await page
      .waitForFunction(() => ["done", "failed"].includes(window.journey?.phase), null, { timeout: 30000 })
      .catch(async (e) => {
        const seen = await page.evaluate(() => ({ journey: window.journey, log: document.getElementById("log")?.textContent }));
        throw new Error(`${e.message}; the page: ${JSON.stringify(seen)}`);
      });
    const state = await page.evaluate(() => window.journey);
    assert.equal(state.phase, "done", `the page failed: ${state.error}`);
    if (state.outcome === "APPROVED") {
      const seen = await poll(() => observer.events.some((e) => e.__typename === "DataStatusEvent"), 10000);
      assert.ok(seen, `the observer saw no DataStatusEvent: ${JSON.stringify(observer.events)}`);
    } else {
      // Long enough for a fetch to have ended, had one started.
      await new Promise((r) => setTimeout(r, 3 * fetchDelay));
    }
    const after = await stats();
    await page.screenshot({ path: path.join(artifacts, `journey-${name}-back.png`), fullPage: true });
    const url = page.url();
    await page.evaluate(() => window.closeJourney?.());
    return { handle, state, url, observed: observer.events, observerErrors: observer.errors, calls: delta(before, after), offered };
  } finally {
    observer?.close();
    await page.close();
  }
}

// What the page's operations and the two subscriptions cost upstream, each
// at most once (the BFF shares a consent lookup within an operation and
// places a consent for its live feed once per process): decryptUrl 1 (the
// completion); getconsentslist: the completion's consents 1, the balances 1,
// the live feed placing the new consent 1; firequest/status 1 (the
// completion's dataStatus), plus 1 when an account's balance is missing (the
// balances' operation reads the fetch's status once to say why: the FIP
// timed out); getfibalance 1 (the balances). A rejection reads no data
// status (the consent has no consent ID) and no balances. The page waits
// E2E_FETCH_DELAY or more for the data: a poll would show here.
function assertNoPolling(calls, approved, missing = 0) {
  const want = approved ? { lists: 3, status: 1 + missing, balances: 1 } : { lists: 2, status: 0, balances: 0 };
  const seen = JSON.stringify(calls);
  assert.equal(calls["/v3/requestconsent"], 0, `the journey requested another consent: ${seen}`);
  assert.equal(calls["/webRedirection/decryptUrl"], 1, `decryptUrl calls: ${seen}`);
  assert.ok(calls["/v3/getconsentslist"] <= want.lists, `getconsentslist polled: ${seen}`);
  assert.ok(calls["/consent/firequest/status"] <= want.status, `firequest/status polled: ${seen}`);
  assert.equal(calls["/getfibalance"], want.balances, `getfibalance calls: ${seen}`);
}

test("journey: approve, ACTIVE, then DATA_READY over the subscription, then every balance; no polling", async () => {
  const j = await journey("approve", "approve");
  console.log(`# approve: calls over the journey ${JSON.stringify(j.calls)}; the page learned of the data by ${j.state.dataVia}`);
  assert.equal(j.state.outcome, "APPROVED");
  assert.equal(j.state.status, "ACTIVE");
  assert.equal(j.url, `${appOrigin}/return`, "the page kept the AA's answer in its address");
  // The fetch takes E2E_FETCH_DELAY: the completion caught it PENDING and
  // the page waited for the event.
  assert.equal(j.state.caughtUp, "PENDING", "the data was ready before the page came back: raise E2E_FETCH_DELAY");
  assert.equal(j.state.dataVia, "subscription");
  assert.equal(j.state.dataEvent.eventStatus, "DATA_READY");
  assert.equal(j.state.dataEvent.state, "READY");
  assert.deepEqual(j.state.events.map((e) => e.__typename), ["DataStatusEvent"], "the page's subscription got other events");
  const offered = j.offered.map((o) => o.linkRef).sort();
  assert.deepEqual(j.state.dataEvent.accounts.map((a) => a.linkReferenceNumber).sort(), offered);
  assert.ok(j.state.dataEvent.accounts.every((a) => a.state === "DELIVERED"), JSON.stringify(j.state.dataEvent.accounts));
  // Every account the customer linked is shown with its balance.
  assert.deepEqual(j.state.accounts.map((a) => a.linkReferenceNumber).sort(), offered);
  assert.deepEqual(j.state.balanceErrors, []);
  for (const a of j.state.accounts) assert.match(a.balance?.amount ?? "", /^-?\d+\.\d{2}$/, `${a.fipName} ${a.maskedAccountNumber}`);
  // The observer, live before the approval, saw the journey in order.
  assert.deepEqual(j.observerErrors, []);
  assert.deepEqual(
    j.observed.map((e) => `${e.__typename}:${e.eventStatus}:${e.status ?? e.state}`),
    ["ConsentStatusEvent:CONSENT_APPROVED:ACTIVE", "DataStatusEvent:DATA_READY:READY"],
  );
  assertNoPolling(j.calls, true);
});

test("journey: reject, REJECTED, and no data events", async () => {
  const j = await journey("reject", "reject");
  console.log(`# reject: calls over the journey ${JSON.stringify(j.calls)}`);
  assert.equal(j.state.outcome, "REJECTED");
  assert.equal(j.state.status, "REJECTED");
  assert.equal(j.state.caughtUp, null, "a rejected consent has a data status");
  assert.deepEqual(j.state.events, [], "the page's subscription got events after a rejection");
  assert.equal(j.state.accounts, undefined, "the page read balances after a rejection");
  assert.deepEqual(j.observerErrors, []);
  assert.deepEqual(j.observed.map((e) => `${e.__typename}:${e.eventStatus}:${e.status}`), ["ConsentStatusEvent:CONSENT_REJECTED:REJECTED"]);
  assertNoPolling(j.calls, false);
});

test("journey: one FIP times out; the others' balances are shown, its own is an error at its path", async () => {
  let slow;
  // Outcomes are by link reference, and an account keeps its link
  // reference under every consent: clear them at once after.
  const j = await journey("timeout", "approve", async (offered) => {
    // A deposit account whose bank offers no other account: that FIP's
    // only account here, so "the FIP times out" is this account timing out.
    const bank = (o) => o.label.split(" · ")[0];
    slow = offered.find((o) => / · DEPOSIT · /.test(o.label) && offered.filter((p) => bank(p) === bank(o)).length === 1);
    assert.ok(slow, `no bank with one deposit account among ${JSON.stringify(offered.map((o) => o.label))}`);
    const res = await fetch(`${baseURL}/_sandbox/fetch/outcomes`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key: slow.linkRef, outcome: "TIMEOUT" }),
    });
    assert.equal(res.status, 200, `POST /_sandbox/fetch/outcomes: ${await res.text()}`);
  }).finally(() => fetch(`${baseURL}/_sandbox/fetch/outcomes`, { method: "DELETE" }));
  console.log(`# timeout: calls over the journey ${JSON.stringify(j.calls)}; the timed-out balance: ${JSON.stringify(j.state.balanceErrors)}`);
  assert.equal(j.state.outcome, "APPROVED");
  assert.equal(j.state.dataVia, "subscription");
  assert.equal(j.state.dataEvent.eventStatus, "DATA_READY");
  const byRef = Object.fromEntries(j.state.dataEvent.accounts.map((a) => [a.linkReferenceNumber, a.state]));
  for (const o of j.offered) assert.equal(byRef[o.linkRef], o.linkRef === slow.linkRef ? "TIMEOUT" : "DELIVERED", o.label);
  // Every account is listed; only the slow one's balance is missing, with
  // an error at its own path.
  assert.equal(j.state.accounts.length, j.offered.length);
  const i = j.state.accounts.findIndex((a) => a.linkReferenceNumber === slow.linkRef);
  assert.ok(i >= 0, "the timed-out account is not listed");
  j.state.accounts.forEach((a, k) => {
    if (k === i) assert.equal(a.balance, null);
    else assert.match(a.balance?.amount ?? "", /^-?\d+\.\d{2}$/, `${a.fipName} ${a.maskedAccountNumber}`);
  });
  assert.equal(j.state.balanceErrors.length, 1, JSON.stringify(j.state.balanceErrors));
  assert.deepEqual(j.state.balanceErrors[0].path, ["consent", "accounts", i, "balance"]);
  // The error says what happened to that account's fetch: the FIP timed out.
  assert.equal(j.state.balanceErrors[0].code, "DATA_NOT_READY");
  assert.equal(j.state.balanceErrors[0].dataState, "TIMED_OUT");
  assertNoPolling(j.calls, true, 1);
});

// The playground's Journey panel walks the same journey against the
// sandbox, with the playground as the return address (sandbox mode's
// default, the first of run.sh's CONSENT_REDIRECT_URLS).
test("playground: the Journey panel requests, sends to the AA, completes the return and shows the data", async () => {
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("websocket", (w) => requests.push(w.url()));
  page.on("pageerror", (e) => problems.push(`playground: pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`playground: console: ${m.text()}`));
  try {
    await page.goto(`${baseURL}/playground`);
    await page.getByRole("button", { name: "Show Journey" }).click();
    const panel = page.locator(".journey");
    await panel.locator('select[name="productID"] option[value="PFM_DASHBOARD"]').waitFor({ state: "attached", timeout: 20000 });
    assert.equal(await panel.locator('select[name="productID"]').inputValue(), product);
    assert.equal(await panel.locator('input[name="mobile"]').inputValue(), demoMobile);
    await panel.locator("button.journey-request").click();
    const aa = panel.locator("a.journey-aa");
    await aa.waitFor({ timeout: 15000 });
    const handle = (await panel.locator(".journey-handle").textContent()).trim();
    leftover.add(handle);
    await page.screenshot({ path: path.join(artifacts, "playground-journey-requested.png") });
    await aa.click();
    await page.waitForURL(/\/_sandbox\/aa\/consent\?/, { timeout: 15000 });
    assert.equal(await page.locator(`section#consent-${handle}`).count(), 1, "the AA page does not show the consent");
    const offered = await page.locator('input[name="account"]').count();
    const before = await stats();
    await page.locator("button.approve").click();
    await page.waitForURL(new RegExp(`^${baseURL}/playground/`), { timeout: 15000 });
    // Back on the playground: the panel opened by itself.
    await panel
      .locator(".journey-balance")
      .first()
      .waitFor({ timeout: 30000 })
      .catch(async (e) => {
        await page.screenshot({ path: path.join(artifacts, "playground-journey-failed.png") });
        throw new Error(`${e.message}; the panel: ${await panel.textContent().catch(() => "(none)")}; at ${page.url()}`);
      });
    const after = await stats();
    await page.screenshot({ path: path.join(artifacts, "playground-journey-done.png") });
    assert.equal(await panel.locator(".journey-outcome").textContent(), "APPROVED");
    assert.equal(await panel.locator(".journey-status").textContent(), "ACTIVE");
    assert.equal(await panel.locator(".journey-data").textContent(), "READY");
    // The playground's bundle loads slower than the e2e page: the data may
    // have been fetched before it subscribed. Either the completion's
    // catch-up said so, or the event came; the catch-up may also win the
    // race against an event already on its way, which the log then shows
    // once it lands (the panel subscribed before sending the user to the AA).
    const via = await panel.locator(".journey-via").textContent();
    const shown = await panel.locator(".journey-events li").allTextContents();
    console.log(`# playground: learned of the data by ${via}; events shown ${JSON.stringify(shown)}`);
    if (via === "DataStatusEvent") assert.deepEqual(shown, ["DataStatusEvent DATA_READY READY"]);
    else assert.ok(shown.length === 0 || (shown.length === 1 && shown[0] === "DataStatusEvent DATA_READY READY"), `events shown after the catch-up: ${shown}`);
    const balances = await panel.locator(".journey-balance").allTextContents();
    assert.equal(balances.length, offered, "not every linked account is shown");
    for (const b of balances) assert.match(b, /^-?\d+\.\d{2} INR$/);
    assert.doesNotMatch(page.url(), /ecres|resdate/, "the playground kept the AA's answer in its address");
    const calls = delta(before, after);
    console.log(`# playground: calls over the journey ${JSON.stringify(calls)}`);
    assertNoPolling(calls, true);
    // The panel keeps its subscription: later events show up live.
    await transition(handle, "pause");
    await transition(handle, "resume");
    await page.waitForFunction(
      () => [...document.querySelectorAll(".journey-events li")].some((li) => li.textContent === "ConsentStatusEvent CONSENT_RESUMED ACTIVE"),
      null,
      { timeout: 15000 },
    );
    assert.deepEqual((await panel.locator(".journey-events li").allTextContents()).slice(-2), [
      "ConsentStatusEvent CONSENT_PAUSED PAUSED",
      "ConsentStatusEvent CONSENT_RESUMED ACTIVE",
    ]);
    await page.screenshot({ path: path.join(artifacts, "playground-journey-live.png") });
    // Only the server and the sandbox's AA page (on its own loopback port).
    const hosts = new Set(requests.filter((u) => /^(https?|wss?):/.test(u)).map((u) => new URL(u).host));
    hosts.delete(new URL(baseURL).host);
    for (const h of hosts) assert.ok(/^127\.0\.0\.1:\d+$/.test(h), `the playground journey requested ${h}`);
  } finally {
    await page.close();
  }
});

test("the journey pages logged no errors", () => {
  assert.deepEqual(problems, []);
});
