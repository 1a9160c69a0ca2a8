package signin

import (
	"context"
	"time"

	"golang.org/x/oauth2"
)

// RefreshTokenOf is the refresh token s holds, for tests.
func RefreshTokenOf(s *Session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// Expire makes s's access token expired, so the next AccessToken
// refreshes it at the provider, with ctx's HTTP client.
func Expire(ctx context.Context, s *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.source = s.client.config("").TokenSource(ctx, &oauth2.Token{RefreshToken: s.refresh, Expiry: time.Now().Add(-time.Minute)})
}
