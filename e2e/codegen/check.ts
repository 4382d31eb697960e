// Type-checks the e2e documents against the types graphql-codegen generated
// from the served SDL: what a TypeScript frontend gets. tsc --strict must
// accept every line; each @ts-expect-error must be an error.
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import type {
  DashboardDocument, DeferredDashboardDocument, RevokeDocument, SharedAccountDocument, StatementDocument,
  ConsentChangesSubscription, ConsentStatus, TransactionType,
} from "./generated/graphql.js";

type Dashboard = ResultOf<typeof DashboardDocument>;
type Account = NonNullable<NonNullable<NonNullable<Dashboard["me"]>["accounts"]>[number]>;

// Partial results: what can fail alone is nullable, so a frontend must handle it.
export const noCustomer: Dashboard["me"] = null;
export const noTotal: NonNullable<Dashboard["me"]>["totalBalance"] = null;
export const noBalance: Account["balance"] = null;
export const noTransactions: Account["transactions"] = null;
// Money is a decimal string, never a number.
export const amount: NonNullable<Account["balance"]>["amount"] = "101666.33";
// @ts-expect-error money is not a number
export const notANumber: NonNullable<Account["balance"]>["amount"] = 101666.33;
// Ids are never null.
// @ts-expect-error Account.id is ID!
export const noID: Account["id"] = null;

// Closed sets are unions that include UNKNOWN.
export const unknownStatus: ConsentStatus = "UNKNOWN";
export const credit: TransactionType = "CREDIT";
// @ts-expect-error not a TransactionType
export const typo: TransactionType = "CREDITT";

// Mutations take one input with the node id, and return the changed consent.
export const revoke: VariablesOf<typeof RevokeDocument> = { input: { id: "Q29uc2VudDpoLng", clientMutationId: "m1" } };
export function revokedStatus(r: ResultOf<typeof RevokeDocument>): ConsentStatus | undefined {
  return r.revokeConsent?.consent.status;
}

// Two consents' accounts each say which consent they are under.
export function consentOf(r: ResultOf<typeof SharedAccountDocument>): string[] {
  return (r.me?.consents?.edges ?? []).flatMap((e) => e.node.accounts.map((a) => a.consent.id));
}

// Deferred fields are optional in the first payload.
export function latest(r: ResultOf<typeof DeferredDashboardDocument>): number {
  return (r.me?.accounts ?? []).reduce((n, a) => n + ("transactions" in a ? (a.transactions?.edges.length ?? 0) : 0), 0);
}

// node(id:) narrows by __typename-less inline fragments to Account fields.
export const statementVars: VariablesOf<typeof StatementDocument> = { id: "x", first: 50, after: null };

// Subscriptions carry a resume cursor.
export function resumeFrom(e: ConsentChangesSubscription): string {
  return e.consentStatusChanged.cursor;
}
