// The frontend contract with normalised caches: Apollo Client's InMemoryCache
// and urql's Graphcache with their default type policies (keyed by __typename
// and id), @defer delivered in parts, mutations that update cached objects,
// and partial results when one FinPro call fails.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ApolloClient, InMemoryCache, HttpLink, gql as tag } from "@apollo/client/core/index.js";
import { Client as UrqlClient, fetchExchange } from "@urql/core";
import { cacheExchange as graphcache } from "@urql/exchange-graphcache";
import {
  baseURL, tokenMe, product, gql, gqlRaw, fault, transition, newPendingConsent, within,
} from "./lib.mjs";

let possibleTypes;
let valueTypes; // object types without an id: embedded in their parent by caches

before(async () => {
  const data = await gql(`{ __schema { types { kind name fields { name } possibleTypes { name } } } }`);
  possibleTypes = {};
  valueTypes = {};
  for (const t of data.__schema.types) {
    if ((t.kind === "INTERFACE" || t.kind === "UNION") && t.possibleTypes) {
      possibleTypes[t.name] = t.possibleTypes.map((p) => p.name);
    }
    if (t.kind === "OBJECT" && !t.name.startsWith("__") && !t.fields.some((f) => f.name === "id")) {
      valueTypes[t.name] = () => null; // Graphcache's way to say "no key, embed it"
    }
  }
});

// apollo is a client with InMemoryCache's defaults: no keyFields, no field
// policies (possibleTypes only tells it which types implement Account).
function apollo() {
  return new ApolloClient({
    link: new HttpLink({ uri: `${baseURL}/graphql`, headers: { Authorization: `Bearer ${tokenMe}` } }),
    cache: new InMemoryCache({ possibleTypes }),
    defaultOptions: { query: { fetchPolicy: "network-only", errorPolicy: "all" } },
  });
}

let clients = [];
after(() => {
  for (const c of clients) c.stop?.();
});

const SHARED = `
  query SharedAccount {
    me(productID: "PFM_DASHBOARD") {
      id
      consents(status: [ACTIVE], first: 10) {
        edges {
          node {
            id
            consentHandle
            fetchType
            accounts {
              id
              linkReferenceNumber
              consent { id consentHandle fetchType }
              balance { amount currency }
            }
          }
        }
      }
    }
  }`;

// strip removes __typename, which caches add, so a cached answer compares
// with a direct one.
function strip(v) {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === "object") {
    const out = {};
    for (const [k, x] of Object.entries(v)) if (k !== "__typename") out[k] = strip(x);
    return out;
  }
  return v;
}

// checkShared asserts what a screen per consent needs: every account under a
// consent says it is under that consent, and a link reference under two
// consents is two objects with two ids.
function checkShared(me) {
  const byLink = new Map();
  for (const { node: c } of me.consents.edges) {
    for (const a of c.accounts) {
      assert.equal(a.consent.id, c.id, `account ${a.linkReferenceNumber} under consent ${c.consentHandle} says it is under ${a.consent.consentHandle}`);
      assert.equal(a.consent.fetchType, c.fetchType);
      if (!byLink.has(a.linkReferenceNumber)) byLink.set(a.linkReferenceNumber, []);
      byLink.get(a.linkReferenceNumber).push(a.id);
    }
  }
  const shared = [...byLink.values()].filter((ids) => ids.length > 1);
  assert.ok(shared.length > 0, "no account is linked under two ACTIVE consents (the sandbox seeds one)");
  for (const ids of shared) assert.equal(new Set(ids).size, ids.length, "one id for an account under two consents");
}

test("Apollo InMemoryCache: two consents sharing an account stay apart", async () => {
  const client = apollo();
  clients.push(client);
  const { data, errors } = await client.query({ query: tag(SHARED) });
  assert.equal(errors, undefined);
  checkShared(data.me);
  // What the cache holds, read back without the network, is what the server sent.
  const cached = client.readQuery({ query: tag(SHARED) });
  assert.deepEqual(strip(cached), strip(await gql(SHARED)));
  checkShared(cached.me);
  // One normalised record per account per consent.
  const records = Object.keys(client.cache.extract()).filter((k) => /^[A-Za-z]+Account:/.test(k));
  const objects = new Set(cached.me.consents.edges.flatMap((e) => e.node.accounts.map((a) => a.id)));
  assert.equal(records.length, objects.size, "the cache merged accounts of different consents");
});

test("urql Graphcache: two consents sharing an account stay apart", async () => {
  const client = new UrqlClient({
    url: `${baseURL}/graphql`,
    exchanges: [graphcache({ possibleTypes, keys: valueTypes }), fetchExchange],
    fetchOptions: { headers: { Authorization: `Bearer ${tokenMe}` } },
    requestPolicy: "network-only",
  });
  const res = await client.query(SHARED, {}).toPromise();
  assert.equal(res.error, undefined, String(res.error));
  checkShared(res.data.me);
  const cached = await client.query(SHARED, {}, { requestPolicy: "cache-only" }).toPromise();
  assert.deepEqual(strip(cached.data), strip(await gql(SHARED)));
});

test("Apollo: a mutation's payload updates the cached consent", async () => {
  const client = apollo();
  clients.push(client);
  const handle = await newPendingConsent();
  await transition(handle, "approve");
  const LIST = tag`query Active { me(productID: "PFM_DASHBOARD") { id consents(status: [ACTIVE], first: 50) { edges { node { id consentHandle status } } } } }`;
  const { data } = await client.query({ query: LIST });
  const node = data.me.consents.edges.map((e) => e.node).find((c) => c.consentHandle === handle);
  assert.ok(node, "the approved consent is not listed as ACTIVE");

  const res = await client.mutate({
    mutation: tag`mutation Revoke($input: RevokeConsentInput!) { revokeConsent(input: $input) { clientMutationId consent { id status } } }`,
    variables: { input: { id: node.id, clientMutationId: "m1" } },
  });
  assert.equal(res.errors, undefined);
  assert.equal(res.data.revokeConsent.clientMutationId, "m1");
  assert.equal(res.data.revokeConsent.consent.id, node.id, "the payload's consent is another object");
  // No refetch: the cached Consent record changed because the payload carried its id.
  const cached = client.readFragment({
    id: client.cache.identify({ __typename: "Consent", id: node.id }),
    fragment: tag`fragment S on Consent { status }`,
  });
  assert.equal(cached.status, "REVOKED");
});

test("Apollo: a @defer'red dashboard arrives in two parts", async () => {
  const client = apollo();
  clients.push(client);
  const DEFERRED = tag`
    query DeferredDashboard {
      me(productID: "PFM_DASHBOARD") {
        id
        accounts {
          id
          balance { amount currency }
          ... @defer(label: "transactions") {
            transactions(last: 5) { edges { node { id txnId amount } } }
          }
        }
      }
    }`;
  const results = [];
  await within(20000, "the deferred dashboard", new Promise((resolve, reject) => {
    const sub = client.watchQuery({ query: DEFERRED, fetchPolicy: "network-only" }).subscribe({
      next(r) {
        results.push(r);
        const accts = r.data?.me?.accounts;
        if (accts && accts.length > 0 && accts.every((a) => a.transactions)) {
          sub.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  }));
  const withData = results.filter((r) => r.data?.me);
  assert.ok(withData.length >= 2, `the dashboard arrived in ${withData.length} part(s)`);
  const first = withData[0].data.me.accounts;
  assert.ok(first.length > 0);
  for (const a of first) {
    assert.ok(a.balance, `account ${a.id}: no balance in the first part`);
    assert.equal(a.transactions, undefined, `account ${a.id}: the transactions were not deferred`);
  }
  const last = withData.at(-1).data.me.accounts;
  assert.ok(last.some((a) => a.transactions.edges.length > 0), "no transactions in the deferred part");
  // The whole, once arrived, equals the same query without @defer.
  const direct = await gql(`{ me(productID: "PFM_DASHBOARD") { id accounts { id balance { amount currency } transactions(last: 5) { edges { node { id txnId amount } } } } } }`);
  assert.deepEqual(strip(withData.at(-1).data), strip(direct));
});

test("Apollo: one failing FinPro call leaves the rest of the dashboard", async () => {
  const client = apollo();
  clients.push(client);
  const DASH = tag`
    query Dashboard {
      me(productID: "PFM_DASHBOARD") {
        id
        totalBalance { amount currency }
        accounts { id maskedAccountNumber balance { amount } transactions(first: 3) { edges { node { id } } } }
      }
    }`;
  await fault("/getfibalance", "DataNotAvailable", 1);
  const { data, errors } = await client.query({ query: DASH });
  assert.ok(data?.me, "the dashboard is blank");
  assert.ok(data.me.accounts.length > 0, "no accounts");
  assert.ok(errors?.length > 0, "no error for the failed balance call");
  const nullBalances = data.me.accounts.filter((a) => a.balance === null);
  assert.ok(nullBalances.length > 0, "no balance is null although getfibalance failed");
  assert.ok(data.me.accounts.some((a) => a.balance !== null), "every balance is null: one consent's call failed, not all");
  for (const a of data.me.accounts) assert.ok(a.transactions.edges.length > 0, `account ${a.id}: transactions lost with the balance`);
  for (const e of errors) assert.ok(e.path?.length > 0, `error without a path: ${e.message}`);
  assert.ok(errors.some((e) => e.path.at(-1) === "balance" || e.path.at(-1) === "totalBalance"));
  // totalBalance is never silently partial: null, with its error saying which accounts are missing.
  assert.equal(data.me.totalBalance, null);
  const total = errors.find((e) => e.path.at(-1) === "totalBalance");
  assert.ok(total?.extensions?.missingAccounts?.length > 0, "totalBalance's error does not name the missing accounts");

  // The next call succeeds: nothing was cached from the failure.
  const again = await gqlRaw(`{ me(productID: "${product}") { totalBalance { amount } } }`);
  assert.equal(again.errors, undefined);
});
