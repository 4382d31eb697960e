// Relay: relay-compiler compiles a small Relay app (relay/src) against the
// schema introspected from the running BFF (it refuses @refetchable without
// a Node interface and Query.node), and relay-runtime runs the artifacts it
// generated: the dashboard query, a consent refetched by its id, and an
// account's transactions paged through its refetch query, merged by Relay's
// connection handler.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { getIntrospectionQuery, buildClientSchema, printSchema } from "graphql";
import { Environment, Network, RecordSource, Store, fetchQuery, getSelector } from "relay-runtime";
import { baseURL, tokenMe, product, gql } from "./lib.mjs";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "relay");
const generated = path.join(dir, "src", "__generated__");
const require = createRequire(import.meta.url);

let env;
const artifact = (name) => require(path.join(generated, `${name}.graphql.js`));

before(async () => {
  const res = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokenMe}` },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const { data, errors } = await res.json();
  assert.equal(errors, undefined);
  writeFileSync(path.join(dir, "schema.graphql"), printSchema(buildClientSchema(data)));

  env = new Environment({
    network: Network.create(async (params, variables) => {
      const r = await fetch(`${baseURL}/graphql`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokenMe}` },
        body: JSON.stringify({ query: params.text, variables }),
      });
      return r.json();
    }),
    store: new Store(new RecordSource()),
  });
});

test("relay-compiler accepts @refetchable and @connection on Consent and Account", () => {
  rmSync(generated, { recursive: true, force: true });
  mkdirSync(generated, { recursive: true });
  const bin = path.join(dir, "..", "node_modules", ".bin", "relay-compiler");
  const run = spawnSync(bin, [], { cwd: dir, encoding: "utf8", timeout: 120000 });
  assert.equal(run.status, 0, `relay-compiler failed:\n${run.stdout}\n${run.stderr}`);
  for (const name of ["dashboardQuery", "ConsentRefetchQuery", "AccountTransactionsPaginationQuery", "dashboard_consent", "dashboard_account"]) {
    assert.ok(existsSync(path.join(generated, `${name}.graphql.js`)), `no artifact ${name}`);
  }
});

// read returns a fragment's data for a fragment reference, as useFragment would.
function read(fragment, ref) {
  const snapshot = env.lookup(getSelector(fragment, ref));
  assert.equal(snapshot.isMissingData, false, "the store lacks data the fragment selects");
  return snapshot.data;
}

test("relay-runtime: dashboard, consent refetch by node id, account transactions paged and merged", async () => {
  const dashboardQuery = artifact("dashboardQuery");
  const consentFragment = artifact("dashboard_consent");
  const accountFragment = artifact("dashboard_account");

  const data = await fetchQuery(env, dashboardQuery, { product, consents: 10 }).toPromise();
  const edges = data.me.consents.edges;
  assert.ok(edges.length > 0, "no ACTIVE consents");
  const consents = edges.map((e) => read(consentFragment, e.node));
  for (const c of consents) assert.equal(c.status, "ACTIVE");

  // Refetch a consent by its id (node(id:)): the same data.
  const first = consents[0];
  const refetched = await fetchQuery(env, artifact("ConsentRefetchQuery"), { id: first.id }).toPromise();
  assert.ok(refetched.node, "node(id:) found no consent");
  const plain = (c) => ({ ...c, accounts: c.accounts.map((a) => a.id) }); // without fragment references
  assert.deepEqual(plain(read(consentFragment, refetched.node)), plain(first));

  // The account with the most transactions, paged 7 at a time through the
  // refetch query, as usePaginationFragment's loadNext does.
  const accounts = consents.flatMap((c) => c.accounts.map((ref) => read(accountFragment, ref)));
  const busiest = accounts.slice().sort((a, b) => b.transactions.totalCount - a.transactions.totalCount)[0];
  assert.ok(busiest.transactions.totalCount > 7, "no account has more than one page");
  const pagination = artifact("AccountTransactionsPaginationQuery");
  let acct = busiest;
  let pages = 1;
  while (acct.transactions.pageInfo.hasNextPage) {
    assert.ok(pages <= 200, "paging does not end");
    const res = await fetchQuery(env, pagination, { id: acct.id, count: 7, cursor: acct.transactions.pageInfo.endCursor }).toPromise();
    assert.ok(res.node, "node(id:) found no account");
    acct = read(accountFragment, res.node);
    pages++;
  }
  const got = acct.transactions.edges.map((e) => e.node.txnId);

  // The same account read directly, 100 at a time.
  const want = [];
  for (let after = null, more = true; more; ) {
    const d = await gql(
      `query($id: ID!, $after: String) { node(id: $id) { ... on Account { transactions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { txnId } } } } } }`,
      { id: busiest.id, after },
    );
    const t = d.node.transactions;
    want.push(...t.edges.map((e) => e.node.txnId));
    more = t.pageInfo.hasNextPage;
    after = t.pageInfo.endCursor;
  }
  assert.equal(want.length, busiest.transactions.totalCount);
  assert.deepEqual(got, want, "Relay's merged connection differs from a direct read");
  assert.equal(pages, Math.ceil(want.length / 7));
});
