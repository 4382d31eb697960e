// Subscriptions without a websocket, as frontends behind proxies or on
// serverless edges use them: the graphql-sse client (distinct connections
// mode) and Apollo Client's HttpLink (multipart HTTP subscriptions), each
// seeing a sandbox approval and resuming with `after`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "graphql-sse";
import { ApolloClient, InMemoryCache, HttpLink, gql as tag } from "@apollo/client/core/index.js";
import { baseURL, tokenMe, demoConsents, transition, newPendingConsent, primeSubscription, poll } from "./lib.mjs";

const CHANGES = `subscription Changes($after: String) {
  consentStatusChanged(productID: "PFM_DASHBOARD", after: $after) { consentHandle status eventStatus cursor }
}`;

// subscribeSSE and subscribeApollo start a subscription and return its
// events, its failure and a stop function.
function subscribeSSE(variables) {
  const client = createClient({
    url: `${baseURL}/graphql`,
    headers: { Authorization: `Bearer ${tokenMe}` },
    retryAttempts: 0,
  });
  const s = { events: [], failure: undefined };
  const stop = client.subscribe(
    { query: CHANGES, variables },
    {
      next: (r) => (r.errors ? (s.failure = r.errors) : s.events.push(r.data.consentStatusChanged)),
      error: (e) => (s.failure = e),
      complete: () => {},
    },
  );
  s.stop = () => {
    stop();
    client.dispose();
  };
  return s;
}

const apollo = new ApolloClient({
  link: new HttpLink({ uri: `${baseURL}/graphql`, headers: { Authorization: `Bearer ${tokenMe}` } }),
  cache: new InMemoryCache(),
});
after(() => apollo.stop());

function subscribeApollo(variables) {
  const s = { events: [], failure: undefined };
  const sub = apollo.subscribe({ query: tag(CHANGES), variables }).subscribe({
    next: (r) => (r.errors ? (s.failure = r.errors) : s.events.push(r.data.consentStatusChanged)),
    error: (e) => (s.failure = e),
  });
  s.stop = () => sub.unsubscribe();
  return s;
}

for (const [name, subscribe] of [["graphql-sse", subscribeSSE], ["Apollo multipart", subscribeApollo]]) {
  test(`${name}: a subscription over HTTP sees an approval and resumes with after`, async () => {
    const pending = await newPendingConsent();
    const active = (await demoConsents()).find((c) => c.status === "ACTIVE");
    assert.ok(active, "the demo customer has no ACTIVE consent");

    const live = subscribe({});
    try {
      await primeSubscription(active.consentHandle, () => {
        if (live.failure) throw new Error(`subscription failed: ${JSON.stringify(live.failure)}`);
        return live.events.length > 0;
      });
      const before = live.events.at(-1).cursor; // the last event before the approval
      await transition(pending, "approve");
      assert.ok(await poll(() => live.events.some((e) => e.consentHandle === pending), 20000), "no event for the approval");
      const ev = live.events.find((e) => e.consentHandle === pending);
      assert.equal(ev.status, "ACTIVE");
      assert.equal(ev.eventStatus, "CONSENT_APPROVED");

      // A client that lost its stream resumes after the last cursor it saw.
      const resumed = subscribe({ after: before });
      try {
        assert.ok(
          await poll(() => resumed.events.some((e) => e.consentHandle === pending), 20000),
          `resuming after ${before} did not replay the approval; failure: ${JSON.stringify(resumed.failure)}`,
        );
        const again = resumed.events.find((e) => e.consentHandle === pending);
        assert.equal(again.cursor, ev.cursor, "the replayed event has another cursor");
      } finally {
        resumed.stop();
      }
    } finally {
      live.stop();
    }
  });
}
