package fitype

// OtherAccount is the GraphQL OtherAccount type: an account whose FI type has no
// plugin. It has only the common Account fields.
type OtherAccount struct {
	AccountBase
}
