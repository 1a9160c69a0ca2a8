package requester

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// DefaultResendInterval is how often Run sends unsent outbox entries when
// Config.ResendInterval is zero.
const DefaultResendInterval = 10 * time.Second

// DefaultRetention is how long received MessageIds (duplicate detection)
// and finished outbox entries are kept when Config.Retention is zero.
const DefaultRetention = sqlitestore.DefaultRetention

// Config configures a Requester. From a pmode/demo setup s, PModes,
// Identity and Trust are s.Requester.Config, s.Requester.Identity and
// s.Requester.Trust.
type Config struct {
	// PModes is our AS4 configuration; PModes.Self is the requester party,
	// whose endpoints (primary first) are the listeners AS4Handlers serves.
	PModes *pmode.Config
	// Identity signs our requests and decrypts the answers.
	Identity keys.Identity
	// Trust verifies the provider's signatures.
	Trust *keys.TrustStore
	// DefaultParty, when set, is the P-Mode party that receives requests
	// for data services whose DSD party id no party of PModes lists (the
	// demo member state serves every provider of the demo directory).
	// Empty: such requests are refused.
	DefaultParty string
	// Dir holds the state: as4.db (outbox and duplicate store), outbox/
	// and spool/ folders, and answers/ with the evidence files.
	Dir string
	// OnAnswer receives each answer once. An error makes the provider
	// send the answer again later (see the package doc).
	OnAnswer func(ctx context.Context, a Answer) error
	// ResendInterval is how often Run resends the outbox (0: default).
	ResendInterval time.Duration
	// Retention is how long Run keeps duplicate-detection records and
	// finished outbox entries (0: DefaultRetention).
	Retention time.Duration
	// Client posts our requests (nil: as4.NewHTTPClient(nil)).
	Client *http.Client
	// Logger defaults to slog.Default; Now to time.Now.
	// ObserveSend is the AS4 sender's test hook (as4.Sender.Observe).
	ObserveSend func(*as4.Submission)
	Logger      *slog.Logger
	Now         func() time.Time
	// VerifyAt is the time certificates are checked at: the provider's
	// before we encrypt for it, and the signers' of its receipts and
	// answers (as4.Sender.VerifyAt, as4.Receiver.VerifyAt); nil means the
	// time of each check. Now stays the message clock.
	VerifyAt func() time.Time
}

// check validates cfg and fills the defaults.
func (c *Config) check() error {
	var errs []error
	if c.PModes == nil {
		errs = append(errs, errors.New("PModes: missing"))
	} else if self, err := c.PModes.Party(c.PModes.Self); err != nil {
		errs = append(errs, fmt.Errorf("PModes.Self %q: %w", c.PModes.Self, err))
	} else if len(self.Endpoints) == 0 {
		errs = append(errs, fmt.Errorf("PModes.Self %q: no endpoints to listen at", c.PModes.Self))
	}
	if c.PModes != nil && c.DefaultParty != "" {
		if _, err := c.PModes.Party(c.DefaultParty); err != nil {
			errs = append(errs, fmt.Errorf("DefaultParty %q: %w", c.DefaultParty, err))
		}
	}
	if c.Identity.Key == nil || c.Identity.Cert == nil {
		errs = append(errs, errors.New("Identity: key or certificate missing"))
	}
	if c.Trust == nil {
		errs = append(errs, errors.New("Trust: missing"))
	}
	if c.Dir == "" {
		errs = append(errs, errors.New("Dir: empty"))
	}
	if c.OnAnswer == nil {
		errs = append(errs, errors.New("OnAnswer: missing"))
	}
	if c.Retention < 0 {
		errs = append(errs, fmt.Errorf("Retention: %v is negative", c.Retention))
	}
	if c.ResendInterval < 0 {
		errs = append(errs, fmt.Errorf("ResendInterval: %v is negative", c.ResendInterval))
	}
	if len(errs) > 0 {
		return fmt.Errorf("requester: config: %w", errors.Join(errs...))
	}
	if c.ResendInterval == 0 {
		c.ResendInterval = DefaultResendInterval
	}
	if c.Retention == 0 {
		c.Retention = DefaultRetention
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}
