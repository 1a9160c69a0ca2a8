// Package devidptest signs in to the development identity provider without
// a browser: it follows the authorization code flow with PKCE the way the
// app does, posting the sign-in page's form as a person would.
package devidptest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
)

// redirectURI is the loopback address the flow pretends to listen on; the
// user agent stops when it is sent there.
const redirectURI = "http://127.0.0.1:1/callback"

// Config is the app's OAuth 2.0 configuration at the provider.
func Config(ctx context.Context, issuer string) (*oauth2.Config, error) {
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, err
	}
	return &oauth2.Config{
		ClientID:    devidp.ClientID,
		Endpoint:    provider.Endpoint(),
		RedirectURL: redirectURI,
		Scopes:      []string{oidc.ScopeOpenID, "profile", oidc.ScopeOfflineAccess},
	}, nil
}

// SignIn signs in as the demo account username at level (an OOTS level of
// assurance, "" for the provider's default) and returns the tokens.
func SignIn(ctx context.Context, issuer, username, level string) (*oauth2.Token, error) {
	conf, err := Config(ctx, issuer)
	if err != nil {
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if level != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", identity.ACR(level)))
	}
	state := oauth2.GenerateVerifier()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), "http://127.0.0.1:1/") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	page, err := get(ctx, browser, conf.AuthCodeURL(state, opts...))
	if err != nil {
		return nil, err
	}
	if page.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sign-in page: %s", page.Status)
	}
	resp, err := submitLogin(ctx, browser, page, username, level)
	if err != nil {
		return nil, err
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode/100 != 3 || !strings.HasPrefix(back.String(), redirectURI) {
		return nil, fmt.Errorf("sign-in as %q was not accepted: %s", username, resp.Status)
	}
	if back.Query().Get("state") != state {
		return nil, errors.New("the provider returned another state")
	}
	code := back.Query().Get("code")
	if code == "" {
		return nil, fmt.Errorf("no code: %s", back.Query().Get("error_description"))
	}
	return conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

func get(ctx context.Context, c *http.Client, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// Browser returns a stand-in for the system browser that signs in as the
// demo account username at level on whatever sign-in page it is sent to,
// then follows the provider's redirects back to the app (its loopback
// listener).
func Browser(ctx context.Context, username, level string) func(authURL string) error {
	return func(authURL string) error {
		jar, _ := cookiejar.New(nil)
		_, err := SignInAt(ctx, &http.Client{Jar: jar}, authURL, username, level)
		return err
	}
}

// SignInAt is browser (which keeps its cookies: a jar) signing in as the
// demo account username at level: it opens start, which leads to the
// provider's sign-in page, sends the page's form and follows the
// redirects back to the relying party. It returns where they ended.
func SignInAt(ctx context.Context, browser *http.Client, start, username, level string) (*url.URL, error) {
	page, err := get(ctx, browser, start)
	if err != nil {
		return nil, err
	}
	if page.StatusCode != http.StatusOK || page.Request.URL.Query().Get("authRequestID") == "" {
		return nil, fmt.Errorf("no sign-in page at %s: %s", page.Request.URL, page.Status)
	}
	resp, err := submitLogin(ctx, browser, page, username, level)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.Request.URL, fmt.Errorf("after signing in: %s at %s", resp.Status, resp.Request.URL)
	}
	return resp.Request.URL, nil
}

// submitLogin sends the provider's sign-in page's form (page is the
// answer that showed it) as the demo account username at level (""
// Substantial); the body of the answer is closed.
func submitLogin(ctx context.Context, browser *http.Client, page *http.Response, username, level string) (*http.Response, error) {
	if level == "" {
		level = identity.LevelSubstantial
	}
	form := url.Values{"authRequestID": {page.Request.URL.Query().Get("authRequestID")}, "username": {username}, "level": {level}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, page.Request.URL.String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := browser.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}
