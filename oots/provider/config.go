package provider

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// Defaults of the optional Config fields.
const (
	DefaultPreviewTTL     = 30 * time.Minute
	DefaultResendInterval = 30 * time.Second
)

// Config configures a Provider. From a pmode/demo setup s, PModes,
// Identity and Trust are s.Provider.Config, s.Provider.Identity and
// s.Provider.Trust.
type Config struct {
	// PModes is our AS4 configuration; PModes.Self is the provider party,
	// whose endpoints (primary first) are the listeners AS4Handlers serves.
	PModes *pmode.Config
	// Identity signs our messages and decrypts the requests.
	Identity keys.Identity
	// Trust verifies the requester's signatures.
	Trust *keys.TrustStore
	// Directory names the evidence types and data services; Countries
	// limits the provider to some of its countries (empty: all).
	Directory *commonsvc.Directory
	Countries []string
	// Dir holds the state: provider.db (previews), as4.db (duplicate
	// store and outbox) and outbox/ and spool/ folders.
	Dir string
	// PreviewURL is the https address the preview space is served at, e.g.
	// "https://127.0.0.1:8493/preview"; PreviewLocations are below it.
	PreviewURL string
	// PreviewTTL is how long the citizen has to look and decide, and then
	// how long the requester has to ask again after an approval.
	PreviewTTL time.Duration
	// ResendInterval is how often unsent answers are tried again.
	ResendInterval time.Duration
	// Retention is how long as4.db keeps duplicate-detection records and
	// sent answers (0: sqlitestore.DefaultRetention).
	Retention time.Duration
	// Client posts our answers (nil: as4.NewHTTPClient(nil)).
	Client *http.Client
	// Logger defaults to slog.Default; Now to time.Now (preview clock).
	// ObserveSend is the AS4 sender's test hook (as4.Sender.Observe).
	ObserveSend func(*as4.Submission)
	Logger      *slog.Logger
	Now         func() time.Time
}

// withDefaults checks c and fills its optional fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	if c.PModes == nil {
		errs = append(errs, errors.New("PModes is nil"))
	} else if _, err := c.PModes.Party(c.PModes.Self); err != nil {
		errs = append(errs, fmt.Errorf("PModes.Self: %w", err))
	}
	if c.Identity.Key == nil || c.Identity.Cert == nil {
		errs = append(errs, errors.New("Identity has no key or certificate"))
	}
	if c.Trust == nil {
		errs = append(errs, errors.New("Trust is nil"))
	}
	if c.Directory == nil {
		errs = append(errs, errors.New("Directory is nil"))
	}
	if c.Dir == "" {
		errs = append(errs, errors.New("Dir is empty"))
	}
	if u, err := url.Parse(c.PreviewURL); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, fmt.Errorf("PreviewURL: %q is not an https URL without query", c.PreviewURL))
	}
	if c.PreviewTTL < 0 || c.ResendInterval < 0 || c.Retention < 0 {
		errs = append(errs, errors.New("PreviewTTL, ResendInterval and Retention must not be negative"))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("provider: config: %w", errors.Join(errs...))
	}
	if c.PreviewTTL == 0 {
		c.PreviewTTL = DefaultPreviewTTL
	}
	if c.ResendInterval == 0 {
		c.ResendInterval = DefaultResendInterval
	}
	if c.Retention == 0 {
		c.Retention = sqlitestore.DefaultRetention
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}
