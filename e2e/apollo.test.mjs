// Real-client tests: Apollo Client 3 (normalized InMemoryCache, relay-style
// pagination) and graphql-ws against the running BFF.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ApolloClient, InMemoryCache, HttpLink, gql as tag, split } from "@apollo/client/core/index.js";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions/index.js";
import { relayStylePagination, getMainDefinition } from "@apollo/client/utilities/index.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import {
  baseURL, tokenMe, demoMobile, product, gql, demoConsents, transition,
  newPendingConsent, primeSubscription, poll, within,
} from "./lib.mjs";

let client;
let wsClient;

// possibleTypes from introspection, so the Account interface's type policy
// (relay-style transactions) applies to every implementation.
async function possibleTypes() {
  const data = await gql(`{ __schema { types { kind name possibleTypes { name } } } }`);
  const out = {};
  for (const t of data.__schema.types) {
    if ((t.kind === "INTERFACE" || t.kind === "UNION") && t.possibleTypes) {
      out[t.name] = t.possibleTypes.map((p) => p.name);
    }
  }
  return out;
}

before(async () => {
  const types = await possibleTypes();
  assert.ok(types.Account?.length > 0, "introspection lists no Account implementations");
  wsClient = createClient({
    url: baseURL.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${tokenMe}` },
    lazy: true,
    retryAttempts: 0,
  });
  const http = new HttpLink({ uri: `${baseURL}/graphql`, headers: { Authorization: `Bearer ${tokenMe}` } });
  const link = split(
    ({ query }) => {
      const d = getMainDefinition(query);
      return d.kind === "OperationDefinition" && d.operation === "subscription";
    },
    new GraphQLWsLink(wsClient),
    http,
  );
  client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      possibleTypes: types,
      typePolicies: {
        Account: { fields: { transactions: relayStylePagination() } },
      },
    }),
    defaultOptions: { query: { fetchPolicy: "network-only" } },
  });
});

after(async () => {
  client?.stop();
  await wsClient?.dispose();
});

const DASHBOARD = `
  query Dashboard {
    me(productID: "PFM_DASHBOARD") {
      mobileNumber
      productID
      totalBalance { amount currency }
      consents(status: [ACTIVE]) {
        edges { node { id consentHandle status accounts { id } } }
      }
      accounts {
        __typename
        id
        maskedAccountNumber
        fiType
        balance { amount currency }
        transactions(last: 20) { edges { cursor node { txnId amount type } } }
      }
    }
  }`;

// project keeps the values the test compares, without Apollo's __typename.
function project(me) {
  return {
    mobileNumber: me.mobileNumber,
    totalBalance: me.totalBalance.map(({ amount, currency }) => ({ amount, currency })),
    consents: me.consents.edges.map((e) => ({ handle: e.node.consentHandle, status: e.node.status, accounts: e.node.accounts.map((a) => a.id) })),
    accounts: me.accounts.map((a) => ({
      type: a.__typename,
      id: a.id,
      masked: a.maskedAccountNumber,
      balance: a.balance && { amount: a.balance.amount, currency: a.balance.currency },
      txns: a.transactions.edges.map((e) => [e.node.txnId, e.node.amount, e.node.type]),
    })),
  };
}

test("dashboard query matches a direct fetch and normalizes accounts", async () => {
  const { data, errors } = await client.query({ query: tag(DASHBOARD) });
  assert.equal(errors, undefined);
  const direct = await gql(DASHBOARD);
  assert.deepEqual(project(data.me), project(direct.me));

  const me = data.me;
  assert.equal(me.mobileNumber, demoMobile);
  assert.ok(me.totalBalance.length > 0, "no totalBalance");
  for (const m of me.totalBalance) {
    assert.match(m.amount, /^-?\d+(\.\d+)?$/, "money is a decimal string");
  }
  assert.ok(me.consents.edges.length > 0, "no ACTIVE consents");
  for (const e of me.consents.edges) assert.equal(e.node.status, "ACTIVE");
  assert.ok(me.accounts.length > 0, "no accounts");
  const withTxns = me.accounts.filter((a) => a.transactions.edges.length > 0);
  assert.ok(withTxns.length > 0, "no account has transactions");
  for (const a of me.accounts) {
    assert.ok(a.transactions.edges.length <= 20, "transactions(last: 20) gave more than 20");
  }

  // Normalized: each account is one cache entry, shared by me.accounts and
  // the consents' accounts.
  const cache = client.cache.extract();
  for (const a of me.accounts) {
    const key = client.cache.identify(a);
    assert.ok(key && cache[key], `account ${a.id} is not normalized`);
  }
  const consentAccountIDs = new Set(me.consents.edges.flatMap((e) => e.node.accounts.map((a) => a.id)));
  for (const a of me.accounts) assert.ok(consentAccountIDs.has(a.id), `account ${a.id} is under no ACTIVE consent`);
});

const PAGE = tag`
  query TransactionsPage($id: ID!, $first: Int!, $after: String) {
    me(productID: "PFM_DASHBOARD") {
      mobileNumber
      productID
      account(id: $id) {
        __typename
        id
        transactions(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { txnId amount } }
        }
      }
    }
  }`;

test("paging with fetchMore yields each transaction once, in order", async () => {
  // The account with the most transactions, and all of them read directly in
  // pages of 100 (a different page size than the client's).
  const counts = await gql(`{ me(productID: "PFM_DASHBOARD") { accounts { id transactions(first: 1) { totalCount } } } }`);
  const acct = counts.me.accounts.slice().sort((a, b) => b.transactions.totalCount - a.transactions.totalCount)[0];
  const want = [];
  for (let after = null, more = true; more; ) {
    const d = await gql(
      `query($id: ID!, $after: String) { me(productID: "PFM_DASHBOARD") { account(id: $id) { transactions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { txnId } } } } } }`,
      { id: acct.id, after },
    );
    const t = d.me.account.transactions;
    want.push(...t.edges.map((e) => e.node.txnId));
    more = t.pageInfo.hasNextPage;
    after = t.pageInfo.endCursor;
    assert.ok(want.length <= 10000, "direct paging does not end");
  }
  assert.equal(want.length, acct.transactions.totalCount, "direct paging misses transactions");
  assert.ok(want.length >= 10, `the busiest account has only ${want.length} transactions`);

  const first = Math.max(2, Math.ceil(want.length / 6));
  const watch = client.watchQuery({ query: PAGE, variables: { id: acct.id, first }, fetchPolicy: "network-only" });
  const sub = watch.subscribe({ next() {}, error() {} });
  try {
    const res = await watch.result();
    let page = res.data.me.account.transactions;
    const fetched = page.edges.map((e) => e.node.txnId);
    let pages = 1;
    while (page.pageInfo.hasNextPage) {
      assert.ok(pages < 100, "paging does not end");
      const more = await watch.fetchMore({ variables: { after: page.pageInfo.endCursor } });
      page = more.data.me.account.transactions;
      fetched.push(...page.edges.map((e) => e.node.txnId));
      pages++;
    }
    assert.deepEqual(fetched, want, "the pages fetched differ from a direct read");
    // The cache merged the pages into one list (relayStylePagination).
    const merged = client.readQuery({ query: PAGE, variables: { id: acct.id, first } });
    const got = merged.me.account.transactions.edges.map((e) => e.node.txnId);
    assert.deepEqual(got, want, "the merged list differs from a direct read");
    assert.equal(new Set(got).size, got.length, "a transaction appears twice");
    assert.equal(merged.me.account.transactions.pageInfo.hasNextPage, false);
    assert.equal(pages, Math.ceil(want.length / first));
  } finally {
    sub.unsubscribe();
  }
});

test("requestConsent mutation creates a PENDING consent", async () => {
  const { data, errors } = await client.mutate({
    mutation: tag`mutation Request($input: RequestConsentInput!) { requestConsent(input: $input) { consentHandle consent { id status } } }`,
    variables: { input: { mobileNumber: demoMobile, productID: product } },
  });
  assert.equal(errors, undefined);
  assert.equal(data.requestConsent.consent.status, "PENDING");
  assert.match(data.requestConsent.consentHandle, /\S/);
  const listed = (await demoConsents()).find((c) => c.consentHandle === data.requestConsent.consentHandle);
  assert.ok(listed, "the sandbox does not list the new consent");
  assert.equal(listed.status, "PENDING");
});

test("subscription over GraphQLWsLink sees a sandbox approval", async () => {
  const pending = await newPendingConsent();
  const active = (await demoConsents()).find((c) => c.status === "ACTIVE");
  assert.ok(active, "the demo customer has no ACTIVE consent");

  const events = [];
  let failure;
  const obs = client.subscribe({
    query: tag`subscription Changes { consentStatusChanged(productID: "PFM_DASHBOARD") { consentHandle status eventStatus cursor } }`,
  });
  const sub = obs.subscribe({
    next: (r) => (r.errors ? (failure = r.errors) : events.push(r.data.consentStatusChanged)),
    error: (e) => (failure = e),
  });
  try {
    await primeSubscription(active.consentHandle, () => {
      if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      return events.length > 0;
    });
    await transition(pending, "approve");
    const ok = await poll(() => events.some((e) => e.consentHandle === pending), 20000);
    assert.ok(ok, `no event for the approved consent; failure: ${JSON.stringify(failure)}`);
    const ev = events.find((e) => e.consentHandle === pending);
    assert.equal(ev.status, "ACTIVE");
    assert.equal(ev.eventStatus, "CONSENT_APPROVED");
    assert.match(ev.cursor, /\S/);
  } finally {
    sub.unsubscribe();
  }
});

test("a websocket without a token is refused", async () => {
  const anon = createClient({ url: baseURL.replace(/^http/, "ws") + "/graphql", webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    const err = await within(10000, "anonymous subscription", new Promise((resolve) => {
      anon.subscribe(
        { query: `subscription { consentStatusChanged(productID: "PFM_DASHBOARD") { status } }` },
        { next: () => resolve(new Error("got an event")), error: resolve, complete: () => resolve(new Error("completed")) },
      );
    }));
    assert.equal(err?.code, 4403, `want close 4403, got ${err?.code ?? err}`);
  } finally {
    await anon.dispose();
  }
});
