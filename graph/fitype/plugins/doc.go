// Package plugins holds one plugin per FI type (fitype.Plugin): the plugin,
// registered in resolvers.New, and its GraphQL account type, which embeds
// fitype.AccountBase for the common Account fields and adds the FI type's
// summary, read through fitype.SummaryOf and converted by name
// (graph/fitype/convert). gqlgen binds these types by name (autobind in
// gqlgen.yml). One file per FI type; a plugin changes alone with its
// graph/<type>.graphqls.
package plugins
