// Package plugins holds one GraphQL account type per FI type, registered as
// its FI type's plugin by one line in All (fitype.PluginOf); each type embeds
// fitype.AccountBase for the common Account fields and adds the FI type's
// summary, read through fitype.SummaryOf and converted by name
// (graph/fitype/convert). gqlgen binds these types by name (autobind in
// gqlgen.yml). One file per FI type; a plugin changes alone with its
// graph/<type>.graphqls.
package plugins
