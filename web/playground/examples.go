package playground

// Examples returns the operations the playground opens by default, written for
// the sandbox's demo customer (token mobile 9876543210, productID
// PFM_DASHBOARD): the dashboard, paging, the consent flow and the
// subscription. A test checks them against the schema.
func Examples() []Example {
	return []Example{
		{Name: "dashboard", Query: dashboardQuery},
		{Name: "paging", Query: pagingQuery, Variables: pagingVariables},
		{Name: "consent flow", Query: consentFlowQuery, Variables: consentFlowVariables},
		{Name: "subscription", Query: subscriptionQuery},
	}
}

const dashboardQuery = `# Dashboard: the token's customer (me), their ACTIVE
# consents, each consent's accounts with balance and
# latest transactions, and the exact total per currency.
# Press the run button (or Ctrl-Enter).
query Dashboard {
  me(productID: "PFM_DASHBOARD") {
    mobileNumber
    totalBalance {
      amount
      currency
    }
    consents(status: [ACTIVE]) {
      totalCount
      edges {
        node {
          consentHandle
          status
          expiresAt
          accounts {
            __typename
            id
            maskedAccountNumber
            fiType
            fipName
            balance {
              amount
              currency
              asOf
            }
            transactions(last: 20) {
              edges {
                node {
                  txnId
                  type
                  amount
                  mode
                  narration
                  transactionTimestamp
                }
              }
            }
          }
        }
      }
    }
  }
}
`

const pagingQuery = `# Paging: pass a page's pageInfo.endCursor as $after
# (in Variables) to read the next page.
query TransactionsPage($first: Int = 5, $after: String) {
  me(productID: "PFM_DASHBOARD") {
    accounts {
      id
      maskedAccountNumber
      transactions(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            txnId
            amount
            narration
            transactionTimestamp
          }
        }
      }
    }
  }
}
`

const pagingVariables = `{
  "first": 5,
  "after": null
}
`

const consentFlowQuery = `# Consent flow. 1: run RequestConsent, copy its
# consentHandle into Variables. 2: run ConsentFlow to
# watch it. 3: approve it in the sandbox:
#   curl -X POST \
#     localhost:8080/_sandbox/consents/<handle>/approve
mutation RequestConsent {
  requestConsent(input: {mobileNumber: "9876543210", productID: "PFM_DASHBOARD"}) {
    consentHandle
    consent {
      id
      status
    }
  }
}

subscription ConsentFlow($consentHandle: ID) {
  consentStatusChanged(productID: "PFM_DASHBOARD", consentHandle: $consentHandle) {
    consentHandle
    consentID
    status
    eventStatus
    occurredAt
    cursor
  }
}
`

const consentFlowVariables = `{
  "consentHandle": null
}
`

const subscriptionQuery = `# Live consent status changes of the token's customer
# (graphql-transport-ws). Approve, pause or revoke a
# consent in the sandbox to see an event:
#   curl localhost:8080/_sandbox/customers
#   curl -X POST \
#     localhost:8080/_sandbox/consents/<handle>/approve
subscription ConsentStatusChanged {
  consentStatusChanged(productID: "PFM_DASHBOARD") {
    consentHandle
    consentID
    status
    eventStatus
    occurredAt
    cursor
  }
}
`
