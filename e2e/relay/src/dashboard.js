// A small Relay app's GraphQL, written as a Relay frontend writes it: a
// paginated consent list, a refetchable consent and a refetchable account
// with a paginated transaction connection. relay-compiler compiles it against
// the BFF's schema (introspected from the running server); relay.test.mjs
// runs the generated artifacts with relay-runtime. This file is compiler input
// only: it is never imported at run time.
import { graphql } from "relay-runtime";

export const dashboardQuery = graphql`
  query dashboardQuery($product: ID!, $consents: Int!, $after: String) {
    me(productID: $product) {
      id
      consents(status: [ACTIVE], first: $consents, after: $after) @connection(key: "dashboard_consents") {
        totalCount
        edges {
          node {
            id
            ...dashboard_consent
          }
        }
      }
    }
  }
`;

export const consentFragment = graphql`
  fragment dashboard_consent on Consent @refetchable(queryName: "ConsentRefetchQuery") {
    id
    consentHandle
    status
    fetchType
    accounts {
      id
      ...dashboard_account
    }
  }
`;

export const accountFragment = graphql`
  fragment dashboard_account on Account
  @refetchable(queryName: "AccountTransactionsPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 7 }, cursor: { type: "String" }) {
    id
    linkReferenceNumber
    maskedAccountNumber
    fiType
    balance {
      amount
      currency
    }
    transactions(first: $count, after: $cursor) @connection(key: "dashboard_account_transactions") {
      totalCount
      edges {
        node {
          id
          txnId
          amount
          type
        }
      }
    }
  }
`;
