package demonode

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/vienreiz/vienreiz/internal/servers"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/provider"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// InfoFile is the file in a demo member state's folder that tells
// exchange services how to reach it.
const InfoFile = "member-state.json"

// MemberStateInfo is what an exchange service needs to reach a demo member
// state running in its own process: its URLs and the root of its preview
// space. The AS4 keys are in the same folder (pki/).
type MemberStateInfo struct {
	DirectoryURL       string   `json:"directory_url"`
	ProviderEndpoints  []string `json:"provider_endpoints"`
	RequesterEndpoints []string `json:"requester_endpoints"`
	PreviewURL         string   `json:"preview_url"`
	PreviewRootPEM     string   `json:"preview_root_pem"`
}

// MemberStateOptions configure StartMemberState.
type MemberStateOptions struct {
	// Dir holds the demo's state: pki/ (keys and P-Modes of both sides,
	// made on the first start), provider/, ports and InfoFile.
	Dir string
	// Password seals the key stores (DefaultPassword if empty).
	Password string
	// RequesterEndpoints are our access points, where the answers go,
	// primary first: the /as4 endpoints of the exchange-service processes.
	RequesterEndpoints []string
	// PreviewTTL and ResendInterval go to the provider (its defaults if zero).
	PreviewTTL, ResendInterval time.Duration
	Logger                     *slog.Logger
}

// MemberState is the demo member state alone (provider, its two access
// points, preview space and the EB/DSD directory), for exchange-service
// processes that share one PostgreSQL database and must all reach the
// same member state.
type MemberState struct {
	Info    MemberStateInfo
	prov    *provider.Provider
	servers servers.Group
}

// StartMemberState listens on four loopback ports (two AS4 listeners, the
// preview space and the directory), starts the provider and writes
// Dir/InfoFile for the exchange services that Join it.
func StartMemberState(ctx context.Context, opts MemberStateOptions) (ms *MemberState, err error) {
	if opts.Dir == "" || len(opts.RequesterEndpoints) == 0 {
		return nil, errors.New("demonode: MemberStateOptions.Dir and RequesterEndpoints are required")
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	dir, err := demodir.Directory()
	if err != nil {
		return nil, fmt.Errorf("demonode: directory: %w", err)
	}
	lns, err := listenAgain(ctx, opts.Dir, 4)
	if err != nil {
		return nil, err
	}
	ms = &MemberState{}
	defer func() {
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			ms.Close()
		}
	}()
	info := &ms.Info
	info.ProviderEndpoints = []string{"http://" + lns[0].Addr().String() + "/as4", "http://" + lns[1].Addr().String() + "/as4"}
	info.PreviewURL = "https://" + lns[2].Addr().String() + "/preview"
	info.DirectoryURL = "http://" + lns[3].Addr().String()
	info.RequesterEndpoints = opts.RequesterEndpoints
	_, provSide, err := sides(opts.Dir, opts.Password, opts.RequesterEndpoints, info.ProviderEndpoints, providerIDs(dir))
	if err != nil {
		return nil, err
	}
	cert, root, err := previewTLS(time.Now())
	if err != nil {
		return nil, err
	}
	info.PreviewRootPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}))
	ms.prov, err = provider.New(provider.Config{
		PModes: provSide.Config, Identity: provSide.Identity, Trust: provSide.Trust,
		Directory: dir, Dir: filepath.Join(opts.Dir, "provider"), PreviewURL: info.PreviewURL,
		PreviewTTL: opts.PreviewTTL, ResendInterval: opts.ResendInterval, Logger: opts.Logger.With("side", "provider"),
	})
	if err != nil {
		return nil, fmt.Errorf("demonode: provider: %w", err)
	}
	handlers := []http.Handler{ms.prov.AS4Handlers()[0], ms.prov.AS4Handlers()[1], ms.prov.PreviewHandler(), commonsvc.NewServer(dir, opts.Logger)}
	for i, h := range handlers {
		var tlsConf *tls.Config
		if i == 2 { // the preview space
			tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		}
		ms.servers.Serve(lns[i], h, tlsConf, opts.Logger)
	}
	lns = nil // owned by the servers now
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := writeAtomically(filepath.Join(opts.Dir, InfoFile), b); err != nil {
		return nil, err
	}
	return ms, nil
}

// Close stops the listeners and the provider; what its outbox holds is
// sent by the next start.
func (ms *MemberState) Close() error {
	ms.servers.Shutdown()
	if ms.prov != nil {
		return ms.prov.Close()
	}
	return nil
}

// LoadMemberState reads the InfoFile of the demo member state in dir.
func LoadMemberState(dir string) (MemberStateInfo, error) {
	var info MemberStateInfo
	b, err := os.ReadFile(filepath.Join(dir, InfoFile))
	if err != nil {
		return info, fmt.Errorf("demonode: no demo member state in %s (start one with vienreiz-server -demo-member-state): %w", dir, err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("demonode: %s: %w", InfoFile, err)
	}
	if info.DirectoryURL == "" || len(info.ProviderEndpoints) == 0 || len(info.RequesterEndpoints) == 0 || info.PreviewRootPEM == "" {
		return info, fmt.Errorf("demonode: %s in %s is incomplete", InfoFile, dir)
	}
	return info, nil
}

// JoinOptions configure Join.
type JoinOptions struct {
	// MemberState is the folder of the running demo member state (its
	// keys) and Info what LoadMemberState read from it.
	MemberState string
	Info        MemberStateInfo
	// Dir holds this process's own requester state (its AS4 outbox).
	Dir string
	// Password opens the key stores (DefaultPassword if empty).
	Password string
	// OnAnswer receives the provider's answers, whichever of the
	// exchange-service processes they reach.
	OnAnswer func(ctx context.Context, a requester.Answer) error
	Logger   *slog.Logger
}

// Joined is one exchange-service process's side of a demo member state
// running elsewhere: the Latvian requester with its own outbox, serving
// answers at its /as4 endpoint (one of MemberStateInfo.RequesterEndpoints).
type Joined struct {
	Info      MemberStateInfo
	Requester *requester.Requester
	roots     *x509.CertPool
	running   chan error
}

// Join opens the requester side of the demo member state in
// opts.MemberState (opts.Info as LoadMemberState read it), with its state
// in opts.Dir, and starts its Run loop.
func Join(ctx context.Context, opts JoinOptions) (*Joined, error) {
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	info := opts.Info
	side, err := demo.LoadSide(filepath.Join(opts.MemberState, "pki", RequesterParty), opts.Password)
	if err != nil {
		return nil, fmt.Errorf("demonode: keys of %s in %s: %w", RequesterParty, opts.MemberState, err)
	}
	if err := rewrite(side.Config, info.RequesterEndpoints, info.ProviderEndpoints, nil); err != nil {
		return nil, err
	}
	j := &Joined{Info: info, roots: x509.NewCertPool(), running: make(chan error, 1)}
	if !j.roots.AppendCertsFromPEM([]byte(info.PreviewRootPEM)) {
		return nil, fmt.Errorf("demonode: %s: the preview root is not a PEM certificate", InfoFile)
	}
	j.Requester, err = requester.New(ctx, requester.Config{
		PModes: side.Config, Identity: side.Identity, Trust: side.Trust,
		Dir: opts.Dir, OnAnswer: opts.OnAnswer, DefaultParty: ProviderParty,
		Logger: opts.Logger.With("side", "requester"),
	})
	if err != nil {
		return nil, fmt.Errorf("demonode: requester: %w", err)
	}
	go func() { j.running <- j.Requester.Run(context.WithoutCancel(ctx)) }()
	return j, nil
}

// AS4Handler receives the answers addressed to this process's endpoint.
func (j *Joined) AS4Handler() http.Handler { return j.Requester.AS4Handlers()[0] }

// PreviewClient returns an https client that trusts the preview space.
func (j *Joined) PreviewClient() *http.Client { return previewClient(j.roots) }

// Close stops the requester; unsent requests stay in its outbox.
func (j *Joined) Close() error {
	err := j.Requester.Close()
	<-j.running
	return err
}

// writeAtomically replaces path with data through a temporary file, so a
// reader never sees half of it.
func writeAtomically(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("demonode: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("demonode: %w", err)
	}
	return nil
}
