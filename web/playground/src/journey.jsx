// The Journey panel: the consent and data journey against the sandbox, in
// the playground's sidebar. Request a consent for a product and mobile
// (requestConsent without redirectURL: the first configured return address,
// in sandbox mode the playground itself), open the Account Aggregator's page,
// answer there; the AA sends the browser back to /playground/?ecres=&resdate=&fi=,
// where the panel opens by itself, subscribes to consentEvents for the
// consent, completes the return (completeConsentRedirect: the outcome and the
// consent as it is now, the catch-up), shows the events live as they come and
// then the accounts' balances once the data is there. Nothing polls.
//
// The journey lives in a store outside React, so closing the panel keeps the
// subscription and what was shown; sessionStorage carries the consent handle
// across the trip to the AA (the page, its websockets included, is gone
// meanwhile).
import { useEffect, useState, useSyncExternalStore } from "react";
import { createClient } from "graphql-ws";

/** The panel's title, also the value of GraphiQL's visiblePlugin. */
export const JOURNEY = "Journey";

const SAVED = "finpro-bff-journey";

const REQUEST = `mutation RequestConsent($input: RequestConsentInput!) {
  requestConsent(input: $input) { consentHandle redirectURL consent { status } }
}`;
const COMPLETE = `mutation CompleteConsentRedirect($input: CompleteConsentRedirectInput!) {
  completeConsentRedirect(input: $input) {
    outcome errorCode
    consent { consentHandle status dataStatus { state } }
  }
}`;
const EVENTS = `subscription JourneyEvents($productID: ID!, $consentHandle: ID!) {
  consentEvents(productID: $productID, consentHandle: $consentHandle) {
    __typename consentHandle occurredAt cursor
    ... on ConsentStatusEvent { status consentEvent: eventStatus }
    ... on DataStatusEvent { dataEvent: dataEventStatus state accounts { linkReferenceNumber state } }
  }
}`;
const BALANCES = `query JourneyBalances($consentHandle: ID!, $productID: ID) {
  consent(consentHandle: $consentHandle, productID: $productID) {
    status
    accounts { linkReferenceNumber fipName maskedAccountNumber fiType balance { amount currency } }
  }
}`;
const PRODUCTS = `query JourneyProducts { products { id name purposeText } }`;

/** Whether this page is the AA sending the customer back. */
export function isReturn(search = window.location.search) {
  const q = new URLSearchParams(search);
  return q.has("ecres") && q.has("resdate") && q.has("fi");
}

/**
 * createJourney returns the GraphiQL plugin. endpoint is the GraphQL URL and
 * wsURL its websocket; headers() the headers editor's current headers (an
 * object); defaults the mobile and product to start with.
 */
export function createJourney({ endpoint, wsURL, headers, defaults }) {
  let state = {
    step: "idle", // idle, requesting, requested, returning, waiting, done, failed
    mobile: defaults.mobile,
    productID: defaults.productID,
    events: [],
  };
  const listeners = new Set();
  const set = (patch) => {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  };
  const subscribeStore = (l) => (listeners.add(l), () => listeners.delete(l));
  let dispose = () => {}; // stops the journey's subscription

  async function gql(query, variables) {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { ...headers(), "Content-Type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    let body;
    try {
      body = await res.json();
    } catch {
      throw new Error(`HTTP ${res.status}`);
    }
    return body;
  }
  const fail = (what, errors) => set({ step: "failed", error: `${what}: ${errors.map((e) => e.message).join("; ")}` });

  async function request(mobile, productID) {
    dispose();
    set({ step: "requesting", mobile, productID, error: null, events: [], accounts: null, outcome: null, status: null });
    const r = await gql(REQUEST, { input: { mobileNumber: mobile, productID } });
    const p = r.data && r.data.requestConsent;
    if (!p) return fail("requestConsent", r.errors || []);
    if (!p.redirectURL) return set({ step: "failed", error: "requestConsent: no AA page (no return address is configured: CONSENT_REDIRECT_URLS)" });
    sessionStorage.setItem(SAVED, JSON.stringify({ consentHandle: p.consentHandle, mobile, productID }));
    set({ step: "requested", handle: p.consentHandle, redirectURL: p.redirectURL, status: p.consent.status });
  }

  // listen opens a websocket of its own, waits for its acknowledgement and
  // subscribes to the consent's events; data resolves with the first
  // DataStatusEvent. Its own connection, because a subscription gets no
  // event from before its connection was acknowledged: the catch-up must
  // come after that, or an event in between is on neither.
  async function listen(handle, productID) {
    let gotData;
    const data = new Promise((resolve) => (gotData = resolve));
    const auth = headers().Authorization || headers().authorization || "";
    const client = createClient({
      url: wsURL,
      lazy: false,
      retryAttempts: 0,
      connectionParams: auth ? { Authorization: auth } : {},
    });
    dispose = () => client.dispose();
    await new Promise((resolve, reject) => {
      client.on("connected", resolve);
      client.on("closed", (e) => reject(new Error(`websocket closed (${e && e.code})`)));
    });
    client.subscribe(
      { query: EVENTS, variables: { productID, consentHandle: handle } },
      {
        next: (r) => {
          if (r.errors) return set({ eventsError: r.errors.map((e) => e.message).join("; ") });
          const { consentEvent, dataEvent, ...ev } = r.data.consentEvents;
          ev.eventStatus = consentEvent || dataEvent;
          set({ events: [...state.events, ev] });
          if (ev.__typename === "DataStatusEvent") gotData(ev);
        },
        error: (e) => set({ eventsError: Array.isArray(e) ? e.map((x) => x.message).join("; ") : String((e && e.reason) || e) }),
        complete: () => {},
      },
    );
    return { data };
  }

  async function complete() {
    const saved = JSON.parse(sessionStorage.getItem(SAVED) || "null");
    const returnURL = window.location.href;
    // The AA's answer is used once: a reload must not complete it again.
    const clean = new URL(window.location.href);
    for (const k of ["ecres", "resdate", "fi"]) clean.searchParams.delete(k);
    window.history.replaceState(null, "", clean.pathname + clean.search);
    if (!saved) return set({ step: "failed", error: "the Account Aggregator sent you back, but no journey was started in this tab" });
    sessionStorage.removeItem(SAVED);
    const { consentHandle: handle, productID, mobile } = saved;
    set({ step: "returning", handle, productID, mobile, events: [] });
    // Subscribe first, then catch up: a fetch ending in between is on the
    // subscription; one that ended before is in the completion's answer.
    const { data } = await listen(handle, productID);
    const r = await gql(COMPLETE, { input: { returnURL, productID } });
    const c = r.data && r.data.completeConsentRedirect;
    if (!c) return fail("completeConsentRedirect", r.errors || []);
    const dataState = (c.consent && c.consent.dataStatus && c.consent.dataStatus.state) || null;
    set({ outcome: c.outcome, errorCode: c.errorCode, status: c.consent && c.consent.status, dataState });
    if (c.outcome !== "APPROVED") return set({ step: "done" });
    if (dataState === "READY") {
      set({ dataVia: "already fetched when you came back" });
    } else {
      set({ step: "waiting" });
      const ev = await data;
      set({ dataState: ev.state, dataVia: "DataStatusEvent" });
    }
    const b = await gql(BALANCES, { consentHandle: handle, productID });
    const accounts = b.data && b.data.consent && b.data.consent.accounts;
    if (!accounts) return fail("balances", b.errors || []);
    const errs = {};
    for (const e of b.errors || []) {
      if (e.path && e.path[1] === "accounts") errs[e.path[2]] = (e.extensions && e.extensions.code) || e.message;
    }
    set({ step: "done", accounts: accounts.map((a, i) => ({ ...a, error: errs[i] })) });
  }

  function Panel() {
    const s = useSyncExternalStore(subscribeStore, () => state);
    const [mobile, setMobile] = useState(s.mobile);
    const [productID, setProductID] = useState(s.productID);
    const [products, setProducts] = useState(null);
    useEffect(() => {
      let live = true;
      gql(PRODUCTS, {})
        .then((r) => live && r.data && setProducts(r.data.products))
        .catch(() => {});
      return () => {
        live = false;
      };
    }, []);
    const busy = s.step === "requesting" || s.step === "returning" || s.step === "waiting";
    const product = products && products.find((p) => p.id === productID);
    return (
      <div className="journey">
        <div className="graphiql-doc-explorer-title">Consent journey</div>
        <p>Request a consent, approve or reject it at the Account Aggregator, come back here and watch the data arrive.</p>
        <label>
          Product{" "}
          {products ? (
            <select name="productID" value={productID} onChange={(e) => setProductID(e.target.value)}>
              {products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id}
                </option>
              ))}
            </select>
          ) : (
            <input name="productID" value={productID} onChange={(e) => setProductID(e.target.value)} />
          )}
        </label>
        {product && product.purposeText ? <p className="journey-note">{product.purposeText}</p> : null}
        <label>
          Mobile <input name="mobile" value={mobile} inputMode="numeric" onChange={(e) => setMobile(e.target.value)} />
        </label>
        <p>
          <button type="button" className="journey-request" disabled={busy} onClick={() => request(mobile, productID).catch((e) => set({ step: "failed", error: String(e) }))}>
            Request consent
          </button>
        </p>
        {s.handle ? (
          <p>
            Consent <code className="journey-handle">{s.handle}</code>
          </p>
        ) : null}
        {s.step === "requested" ? (
          <p>
            <a className="journey-aa" href={s.redirectURL}>
              Open the Account Aggregator
            </a>
          </p>
        ) : null}
        {s.outcome ? (
          <dl className="journey-result">
            <dt>Outcome</dt>
            <dd className="journey-outcome">{s.outcome}</dd>
            <dt>Consent</dt>
            <dd className="journey-status">{s.status}</dd>
            <dt>Data</dt>
            <dd className="journey-data">{s.step === "waiting" ? "fetching your data…" : s.dataState || "-"}</dd>
            {s.dataVia ? (
              <>
                <dt>Learned</dt>
                <dd className="journey-via">{s.dataVia}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {s.handle && (s.step === "returning" || s.step === "waiting" || s.step === "done") ? (
          <>
            <div className="graphiql-doc-explorer-section-title">Events</div>
            <ol className="journey-events">
              {s.events.map((e) => (
                <li key={e.cursor}>
                  {e.__typename} {e.eventStatus} {e.status || e.state}
                </li>
              ))}
            </ol>
          </>
        ) : null}
        {s.eventsError ? <p className="journey-error">{s.eventsError}</p> : null}
        {s.accounts ? (
          <table className="journey-accounts">
            <tbody>
              {s.accounts.map((a) => (
                <tr key={a.linkReferenceNumber}>
                  <td>{a.fipName}</td>
                  <td>{a.maskedAccountNumber}</td>
                  <td className="journey-balance">{a.balance ? `${a.balance.amount} ${a.balance.currency}` : `not available (${a.error || "no data"})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {s.error ? <p className="journey-error">{s.error}</p> : null}
      </div>
    );
  }

  function Icon() {
    // A path with an arrow out and back: the trip to the AA.
    return (
      <svg height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <path d="M4 7h12l-3-3M16 7l-3 3M20 17H8l3-3M8 17l3 3" />
      </svg>
    );
  }

  return {
    plugin: { title: JOURNEY, icon: Icon, content: Panel },
    complete: () => complete().catch((e) => set({ step: "failed", error: String(e) })),
  };
}
