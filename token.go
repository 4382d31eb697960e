package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/config"
)

// mintToken implements the token command: it mints an HS256 token with the
// same settings serve verifies with, and prints it alone on the last line.
func mintToken(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sub := fs.String("sub", "dev", "the token's subject")
	scope := fs.String("scope", strings.Join(auth.DevScopes(), " "), "space- or comma-separated scopes")
	mobile := fs.String("mobile", "", "bind the token to this customer's 10-digit mobile")
	products := fs.String("products", "", "space- or comma-separated productIDs the token may use (default any)")
	ttl := fs.Duration("ttl", time.Hour, "lifetime (at most 24h)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: finpro-bff token [-sub S] [-scope "a b"] [-mobile M] [-products "P Q"] [-ttl 1h]

Mints an HS256 JWT with the JWT_* settings serve verifies with (in sandbox mode
the dev secret, issuer and audience) and prints it alone on the last line.
Every flag is optional:

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected arguments %q", fs.Args())
	}
	// The same token settings serve reads, and nothing else: minting needs no
	// FinPro credentials.
	cfg := &config.Config{
		FinproBaseURL:    getenv("FINPRO_BASE_URL"),
		JWTHS256Secret:   getenv("JWT_HS256_SECRET"),
		JWTJWKSURL:       getenv("JWT_JWKS_URL"),
		JWTPublicKeyFile: getenv("JWT_PUBLIC_KEY_FILE"),
		JWTIssuer:        getenv("JWT_ISSUER"),
		JWTAudience:      getenv("JWT_AUDIENCE"),
	}
	if err := errors.Join(cfg.JWTDefaults()...); err != nil {
		return err
	}
	if cfg.JWTHS256Secret == "" {
		return errors.New("token: minting needs JWT_HS256_SECRET (the server verifies with a public key or JWKS, whose issuer mints its tokens)")
	}
	tok, err := auth.Mint(auth.MintOptions{
		Secret:   []byte(cfg.JWTHS256Secret),
		Issuer:   cfg.JWTIssuer,
		Audience: cfg.JWTAudience,
		Subject:  *sub,
		Scopes:   splitList(*scope),
		Mobile:   *mobile,
		Products: splitList(*products),
		TTL:      *ttl,
	})
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// splitList splits a space- or comma-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}
