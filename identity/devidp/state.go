package devidp

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// savedState is what the provider keeps in Options.StateFile so that the
// app's sessions survive a restart: its signing keys (tokens they signed
// stay valid) and the refresh tokens it gave out. Sign-ins in progress
// and access-token ids are not kept.
type savedState struct {
	Keys          []savedKey     `json:"keys"`
	RefreshTokens []savedRefresh `json:"refresh_tokens"`
}

type savedKey struct {
	ID    string `json:"id"`
	PKCS8 []byte `json:"pkcs8"`
}

type savedRefresh struct {
	Token    string    `json:"token"`
	ID       string    `json:"id"`
	Subject  string    `json:"subject"`
	ClientID string    `json:"client_id"`
	Scopes   []string  `json:"scopes"`
	ACR      string    `json:"acr,omitempty"`
	AuthTime time.Time `json:"auth_time"`
}

// load reads the state file into s; a missing file is a first start. A
// file that cannot be read is an error rather than silently losing every
// session.
func (s *storage) load() error {
	data, err := os.ReadFile(s.file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("devidp: state: %w", err)
	}
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("devidp: state %s is not readable (delete it to start afresh; every session then ends): %w", s.file, err)
	}
	for _, k := range st.Keys {
		key, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
		ec, ok := key.(*ecdsa.PrivateKey)
		if err != nil || !ok {
			return fmt.Errorf("devidp: state %s: key %s is not an ECDSA key: %v", s.file, k.ID, err)
		}
		s.keys = append(s.keys, &signingKey{id: k.ID, key: ec})
	}
	for _, r := range st.RefreshTokens {
		s.refreshTokens[r.Token] = &refreshToken{token: r.Token, id: r.ID, subject: r.Subject, clientID: r.ClientID,
			scopes: r.Scopes, acr: r.ACR, authTime: r.AuthTime}
	}
	return nil
}

// saveLocked writes the state file, when there is one; s.mu is held.
func (s *storage) saveLocked() error {
	if s.file == "" {
		return nil
	}
	st := savedState{Keys: []savedKey{}, RefreshTokens: []savedRefresh{}}
	for _, k := range s.keys {
		der, err := x509.MarshalPKCS8PrivateKey(k.key)
		if err != nil {
			return fmt.Errorf("devidp: state: %w", err)
		}
		st.Keys = append(st.Keys, savedKey{ID: k.id, PKCS8: der})
	}
	for _, r := range s.refreshTokens {
		st.RefreshTokens = append(st.RefreshTokens, savedRefresh{Token: r.token, ID: r.id, Subject: r.subject, ClientID: r.clientID,
			Scopes: r.scopes, ACR: r.acr, AuthTime: r.authTime})
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("devidp: state: %w", err)
	}
	return secrets.WriteFileAtomic(s.file, data)
}
