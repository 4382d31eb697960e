// GraphiQL for finpro-bff. playground.go serves this bundle and injects its
// configuration (endpoint, default headers, example operations) as JSON in
// <script id="playground-config">. Queries and mutations go over HTTP POST;
// subscriptions over graphql-transport-ws on the same endpoint, with the
// Authorization header of the headers editor sent in connection_init.
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";
import { parse } from "graphql";
import { createJourney, isReturn, JOURNEY } from "./journey.jsx";
import "graphiql/graphiql.css";
import "./page.css";

function readConfig() {
  const el = document.getElementById("playground-config");
  if (!el) return {};
  try {
    return JSON.parse(el.textContent || "{}");
  } catch {
    return {};
  }
}

const config = readConfig();
const endpoint = new URL(config.endpoint || "/graphql", window.location.href);
const wsURL = new URL(endpoint);
wsURL.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

// The websocket cannot carry HTTP headers, so the token travels in
// connection_init. One lazy client per distinct Authorization value: editing
// the token in the headers editor opens a new connection with it.
const wsClients = new Map();
function wsClientFor(authorization) {
  const key = authorization || "";
  let c = wsClients.get(key);
  if (!c) {
    c = createClient({
      url: wsURL.href,
      lazy: true,
      connectionParams: () => (key ? { Authorization: key } : {}),
    });
    wsClients.set(key, c);
  }
  return c;
}

function headerValue(headers, name) {
  if (!headers) return "";
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return String(v);
  }
  return "";
}

// GraphiQL 3 passes a stale operationName and documentAST after a tab switch
// (another tab's), or no operationName for a one-operation document; the
// toolkit then sends a subscription over HTTP (it finds subscriptions by
// name). So parse the query being run and name its operation here: the
// requested name when the document defines it, else its only operation's.
function prepare(params, opts) {
  let doc;
  try {
    doc = parse(params.query);
  } catch {
    return [params, opts]; // the server reports the syntax error
  }
  const ops = doc.definitions.filter((d) => d.kind === "OperationDefinition");
  let operationName = params.operationName;
  if (!ops.some((o) => o.name && o.name.value === operationName)) {
    operationName = ops.length === 1 && ops[0].name ? ops[0].name.value : undefined;
  }
  return [{ ...params, operationName }, { ...opts, documentAST: doc }];
}

const fetcher = (graphQLParams, fetcherOpts) => {
  const [params, opts] = prepare(graphQLParams, fetcherOpts);
  const authorization = headerValue(opts && opts.headers, "Authorization");
  return createGraphiQLFetcher({
    url: endpoint.href,
    wsClient: wsClientFor(authorization),
    enableIncrementalDelivery: false,
  })(params, opts);
};

const defaultHeaders = config.defaultHeaders || "";
const examples = Array.isArray(config.examples) ? config.examples : [];
const defaultTabs = examples.map((e) => ({
  query: e.query,
  variables: e.variables || "",
  headers: defaultHeaders,
}));

// ?query=&variables= open a query directly (links, tests) in a first tab,
// before the examples.
const params = new URLSearchParams(window.location.search);
if (params.has("query")) {
  defaultTabs.unshift({
    query: params.get("query"),
    variables: params.get("variables") || "",
    headers: defaultHeaders,
  });
}

// The headers editor's text as last edited, for the Journey panel's calls.
let headersText = defaultHeaders;
function currentHeaders() {
  try {
    const h = JSON.parse(headersText || "{}");
    return h && typeof h === "object" ? h : {};
  } catch {
    return {};
  }
}

// The Journey panel, opened by itself when the Account Aggregator sends the
// customer back here (?ecres=&resdate=&fi=).
const journey = createJourney({
  endpoint: endpoint.href,
  wsURL: wsURL.href,
  headers: currentHeaders,
  defaults: { mobile: "9876543210", productID: "PFM_DASHBOARD" },
});
const returning = isReturn();

const props = {
  fetcher,
  defaultHeaders,
  onEditHeaders: (text) => {
    headersText = text;
  },
  plugins: [journey.plugin],
  defaultEditorToolsVisibility: defaultHeaders ? "headers" : true,
  shouldPersistHeaders: false,
  isHeadersEditorEnabled: true,
};
if (defaultTabs.length > 0) props.defaultTabs = defaultTabs;
if (returning) props.visiblePlugin = JOURNEY;

const root = createRoot(document.getElementById("graphiql"));
root.render(<GraphiQL {...props} />);
if (returning) journey.complete();
