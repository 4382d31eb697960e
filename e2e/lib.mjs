// Shared helpers for the e2e tests: the server under test comes from the
// environment run.sh sets (BFF_URL, BFF_TOKEN_ANY, BFF_TOKEN_ME).
import assert from "node:assert/strict";

/** The BFF's base URL, e.g. http://127.0.0.1:41234. */
export const baseURL = required("BFF_URL").replace(/\/$/, "");
/** The dev token bound to the demo customer (for `me`). */
export const tokenMe = required("BFF_TOKEN_ME");
/** The dev token for any customer (partner app). */
export const tokenAny = required("BFF_TOKEN_ANY");
export const demoMobile = "9876543210";
export const product = "PFM_DASHBOARD";

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with e2e/run.sh`);
  return v;
}

/** POSTs a GraphQL operation with fetch and returns its data, failing on errors. */
export async function gql(query, variables = {}, token = tokenMe) {
  const body = await gqlRaw(query, variables, token);
  assert.equal(body.errors, undefined, `POST /graphql: errors ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** POSTs a GraphQL operation and returns the whole answer (data and errors). */
export async function gqlRaw(query, variables = {}, token = tokenMe) {
  const res = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `POST /graphql: status ${res.status}: ${JSON.stringify(body.errors)}`);
  return body;
}

/** Installs a FinPro fault in the sandbox (admin API): the next count calls of path fail. */
export async function fault(path, errorCode, count = 1) {
  const res = await fetch(`${baseURL}/_sandbox/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ path, errorCode, count }),
  });
  assert.ok(res.ok, `POST /_sandbox/faults: ${res.status} ${await res.text()}`);
}

/** The sandbox's seeded customers (admin API). */
export async function customers() {
  const res = await fetch(`${baseURL}/_sandbox/customers`);
  assert.equal(res.status, 200, "GET /_sandbox/customers");
  return (await res.json()).customers;
}

/** The demo customer's consents under product. */
export async function demoConsents() {
  const c = (await customers()).find((c) => c.mobile === demoMobile);
  assert.ok(c, "the sandbox has no demo customer");
  return c.consents.filter((cs) => cs.productID === product);
}

/** Moves a sandbox consent through action (approve, pause, resume, ...). */
export async function transition(handle, action) {
  const res = await fetch(`${baseURL}/_sandbox/consents/${handle}/${action}`, { method: "POST" });
  const text = await res.text();
  assert.equal(res.status, 200, `POST /_sandbox/consents/<handle>/${action}: ${res.status} ${text}`);
}

/** Requests a new consent for the demo customer and returns its PENDING handle. */
export async function newPendingConsent() {
  const data = await gql(
    `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { consentHandle consent { status } } }`,
    { input: { mobileNumber: demoMobile, productID: product } },
  );
  assert.equal(data.requestConsent.consent.status, "PENDING");
  return data.requestConsent.consentHandle;
}

/**
 * Waits until the subscriber sees an event. A subscription starts listening
 * some time after the subscribe message, so pause and resume an ACTIVE consent
 * until seen() reports an event: from then on none is missed.
 */
export async function primeSubscription(activeHandle, seen, { rounds = 60, wait = 500 } = {}) {
  for (let i = 0; i < rounds; i++) {
    await transition(activeHandle, "pause");
    const ok = await poll(seen, wait);
    await transition(activeHandle, "resume");
    if (ok) return;
  }
  throw new Error(`no event reached the subscription after ${rounds} pause/resume rounds`);
}

/** Polls cond every 50 ms for up to ms milliseconds; resolves to whether it held. */
export async function poll(cond, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rejects after ms with what, so a hung await fails the test with a reason. */
export function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
