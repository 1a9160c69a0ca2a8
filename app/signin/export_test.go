package signin

// RefreshTokenOf is the refresh token s holds, for tests.
func RefreshTokenOf(s *Session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}
