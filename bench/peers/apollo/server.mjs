// Issue #7 peer: Apollo Server 5 + dataloader over FinPro (or its sandbox).
//
// The same call graph as the BFF for the benchmark queries: one
// /v1/accounts/getconsentslist per Customer.consents, one /getfibalance per
// consent (balances loader keyed by consentID) and one /getfidata per account
// (pages loader keyed by consentID, link reference number, limit and offset).
// transactions(last: N) reads the window that ends at the account's transaction
// count remembered from an earlier request (counts, process-wide), checked
// against the count the page reports; without one, a probe of the first N rows
// then the window: the BFF's strategy and calls. Loaders are built per request
// in the context function.
//
// Environment: PORT (default 8082), FINPRO_BASE_URL (default
// http://127.0.0.1:8090), FINPRO_CLIENT_ID, FINPRO_CLIENT_SECRET,
// FINPRO_ORGANISATION_ID, FINPRO_APP_IDENTIFIER (default: the sandbox's).
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import DataLoader from 'dataloader';

const env = (k, def) => process.env[k] || def;
const base = env('FINPRO_BASE_URL', 'http://127.0.0.1:8090').replace(/\/+$/, '');
const headers = {
  'Content-Type': 'application/json',
  Accept: 'application/json',
  client_id: env('FINPRO_CLIENT_ID', 'fp_test_sandbox'),
  client_secret: env('FINPRO_CLIENT_SECRET', 'sandbox-secret-not-for-production'),
  organisationId: env('FINPRO_ORGANISATION_ID', 'SANDBOX01'),
  appIdentifier: env('FINPRO_APP_IDENTIFIER', 'bff.sandbox.local'),
};

const DEFAULT_PAGE = 20; // the BFF's default consents(first:) and transactions page
const MAX_PAGE = 100;

// finpro POSTs body to path and returns the envelope; failures throw without
// echoing the request (it may carry a mobile number).
async function finpro(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  let env;
  try {
    env = JSON.parse(text);
  } catch {
    throw new GraphQLError(`finpro ${path}: HTTP ${res.status}: not JSON`, { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  }
  if (!res.ok || env.status === 'failure' || env.errorCode) {
    throw new GraphQLError(`finpro ${path}: HTTP ${res.status}: ${env.errorCode ?? 'error'}`, { extensions: { code: 'UPSTREAM_ERROR' } });
  }
  return env;
}

function pageSize(n, name) {
  if (n == null) return null;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new GraphQLError(`${name} must be 1..${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return n;
}

// loaders returns the per-request dataloaders.
function loaders() {
  return {
    // consentID -> getfibalance data[] (one call per consent).
    balances: new DataLoader((ids) =>
      Promise.all(ids.map((id) => finpro('/getfibalance', { consentID: id }).then((e) => e.data ?? [], (err) => err)))),
    // "consentID\0linkRef\0limit\0offset" -> { rows, total } (one getfidata
    // page; limit 0: every row). total is pageDetails.totalRecords, -1 if absent.
    pages: new DataLoader((keys) =>
      Promise.all(keys.map((k) => {
        const [consentID, linkReferenceNumber, limit, offset] = k.split('\0');
        const q = limit === '0' ? '' : `?limit=${limit}&offset=${offset}`;
        return finpro('/getfidata' + q, { consentID, linkReferenceNumber }).then((e) => {
          let rows = e.data?.fiData ?? [];
          let total = e.pageDetails?.totalRecords ?? -1;
          if (limit === '0') total = rows.length;
          else if (rows.length > Number(limit)) rows = rows.slice(0, Number(limit));
          if (total >= 0) putCount(consentID + '\0' + linkReferenceNumber, total);
          return { rows, total };
        }, (err) => err);
      }))),
  };
}

// counts: "consentID\0linkRef" -> { n, expires }, the transaction counts seen,
// shared by every request (bounded like the BFF's loaders.Counts).
const COUNT_TTL_MS = 10 * 60 * 1000;
const MAX_COUNTS = 50000;
const counts = new Map();
function putCount(k, n) {
  if (!counts.has(k) && counts.size >= MAX_COUNTS) {
    for (const key of counts.keys()) {
      if (counts.size < MAX_COUNTS * 0.9) break;
      counts.delete(key);
    }
  }
  counts.set(k, { n, expires: Date.now() + COUNT_TTL_MS });
}

// latest returns the last n transactions of an account (see the file comment).
async function latest(ctx, consentID, linkRef, n) {
  const page = (offset, limit) => ctx.loaders.pages.load([consentID, linkRef, limit, offset].join('\0'));
  const c = counts.get(consentID + '\0' + linkRef);
  let p;
  if (c && c.expires > Date.now() && c.n > 0) {
    p = await page(Math.max(0, c.n - n), Math.min(n, c.n));
    if (p.total === c.n) return p.rows;
  } else {
    p = await page(0, n);
    if ((p.total >= 0 && p.total <= n) || (p.total < 0 && p.rows.length < n)) return p.rows;
  }
  if (p.total >= 0) {
    if (p.total === 0) return [];
    p = await page(Math.max(0, p.total - n), Math.min(n, p.total));
    return p.rows;
  }
  p = await page(0, 0);
  return p.rows.slice(Math.max(0, p.rows.length - n));
}

const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'A decimal number as a string, exactly as FinPro sent it.',
  serialize: (v) => String(v),
  parseValue: (v) => String(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : undefined),
});

const typeByFI = {
  DEPOSIT: 'DepositAccount',
  TERM_DEPOSIT: 'TermDepositAccount',
  RECURRING_DEPOSIT: 'RecurringDepositAccount',
  MUTUAL_FUNDS: 'MutualFundAccount',
};

// account wraps one consent-list account row with its consentID.
function account(consentID, a) {
  const fiType = (a.fiType || (a.fiTypes && a.fiTypes[0]) || '').replace('TERM-DEPOSIT', 'TERM_DEPOSIT');
  return {
    consentID,
    linkReferenceNumber: a.linkRefNumber,
    maskedAccountNumber: a.maskedAccountNumber,
    fiType,
    fipId: a.fipId ?? null,
    fipName: a.fipName ?? null,
    accountType: a.accountType ?? null,
  };
}

const accountFields = {
  async balance(acc, _args, ctx) {
    const rows = await ctx.loaders.balances.load(acc.consentID);
    const b = rows.find((r) => r.linkReferenceNumber === acc.linkReferenceNumber);
    if (!b) {
      throw new GraphQLError(`balance of account ${acc.linkReferenceNumber}: not found`, { extensions: { code: 'NOT_FOUND' } });
    }
    return { amount: b.balance, currency: b.currency || 'INR' };
  },
  async transactions(acc, args, ctx) {
    const first = pageSize(args.first, 'first');
    const last = pageSize(args.last, 'last');
    let page;
    if (last != null && first == null) {
      page = await latest(ctx, acc.consentID, acc.linkReferenceNumber, last);
    } else {
      const n = first ?? DEFAULT_PAGE;
      const p = await ctx.loaders.pages.load([acc.consentID, acc.linkReferenceNumber, n, 0].join('\0'));
        page = p.rows;
    }
    return { edges: page.map((node) => ({ node })) };
  },
};

const resolvers = {
  Decimal,
  Query: {
    customer(_root, { mobileNumber, productID }) {
      if (!/^[0-9]{10}$/.test(mobileNumber)) {
        throw new GraphQLError('mobileNumber must be exactly 10 digits', { extensions: { code: 'BAD_USER_INPUT' } });
      }
      return { mobileNumber, productID };
    },
  },
  Customer: {
    async consents(cust, { status, first }) {
      const n = pageSize(first, 'first') ?? DEFAULT_PAGE;
      const body = { mobileNumber: cust.mobileNumber, productID: cust.productID };
      if (status && status.length) body.status = status;
      body.pageNumber = 1;
      body.pageSize = n;
      const env = await finpro('/v1/accounts/getconsentslist', body);
      const rows = env.data == null ? [] : Array.isArray(env.data) ? env.data : [env.data];
      const edges = [];
      for (const c of rows.filter((c) => !c.productID || c.productID === cust.productID).slice(0, n)) {
        if (status && status.length && !status.includes(c.status)) continue;
        edges.push({
          node: {
            consentID: c.consentID ?? null,
            consentHandle: c.consentHandle ?? null,
            status: c.status,
            productID: c.productID || cust.productID,
            accounts: (c.accounts ?? []).map((a) => account(c.consentID, a)),
          },
        });
      }
      return { edges };
    },
  },
  Account: {
    __resolveType: (acc) => typeByFI[acc.fiType] ?? 'OtherAccount',
  },
  DepositAccount: accountFields,
  TermDepositAccount: accountFields,
  RecurringDepositAccount: accountFields,
  MutualFundAccount: accountFields,
  OtherAccount: accountFields,
};

const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

const server = new ApolloServer({
  typeDefs,
  resolvers,
  // The BFF writes compact JSON without a trailing newline; Apollo's default adds '\n'.
  stringifyResult: (v) => JSON.stringify(v),
  includeStacktraceInErrorResponses: false,
  plugins: [ApolloServerPluginLandingPageDisabled()],
});

const port = Number(env('PORT', '8082'));
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port },
  context: async () => ({ loaders: loaders() }),
});
console.log(`apollo peer listening on ${url}graphql (FinPro at ${base})`);
