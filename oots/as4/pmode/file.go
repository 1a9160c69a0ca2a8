package pmode

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// MaxFileSize is the largest configuration file Load and Parse accept.
const MaxFileSize = 4 << 20

// fileConfig is the JSON file format described in the package doc.
type fileConfig struct {
	Self    string      `json:"self"`
	Parties []fileParty `json:"parties"`
	PModes  []filePMode `json:"pmodes"`
}

type fileParty struct {
	Name           string    `json:"name"`
	IDs            []PartyID `json:"ids"`
	Endpoints      []string  `json:"endpoints,omitempty"`
	Certificate    string    `json:"certificate,omitempty"`
	CertificatePEM string    `json:"certificatePEM,omitempty"`
}

type filePMode struct {
	ID             string           `json:"id"`
	Agreement      string           `json:"agreement,omitempty"`
	AgreementType  string           `json:"agreementType,omitempty"`
	MEP            string           `json:"mep,omitempty"`
	MEPBinding     string           `json:"mepBinding,omitempty"`
	Initiator      PartyRef         `json:"initiator"`
	Responder      PartyRef         `json:"responder"`
	Legs           []Leg            `json:"legs"`
	Security       *fileSecurity    `json:"security,omitempty"`
	Reliability    *fileReliability `json:"reliability,omitempty"`
	Compress       *bool            `json:"compress,omitempty"`
	MaxPayloadSize int64            `json:"maxPayloadSize,omitempty"`
}

type fileSecurity struct {
	Sign                    *bool  `json:"sign,omitempty"`
	Encrypt                 *bool  `json:"encrypt,omitempty"`
	SignatureAlgorithm      string `json:"signatureAlgorithm,omitempty"`
	DigestAlgorithm         string `json:"digestAlgorithm,omitempty"`
	DataEncryptionAlgorithm string `json:"dataEncryptionAlgorithm,omitempty"`
	KeyTransportAlgorithm   string `json:"keyTransportAlgorithm,omitempty"`
	KeyTransportDigest      string `json:"keyTransportDigest,omitempty"`
	KeyTransportMGF         string `json:"keyTransportMGF,omitempty"`
	SendReceipt             *bool  `json:"sendReceipt,omitempty"`
	NonRepudiation          *bool  `json:"nonRepudiation,omitempty"`
	KeyInfo                 string `json:"keyInfo,omitempty"`
	SignTimestamp           *bool  `json:"signTimestamp,omitempty"`
}

type fileReliability struct {
	RetryCount         *int     `json:"retryCount,omitempty"`
	RetryInterval      *string  `json:"retryInterval,omitempty"`
	BackoffFactor      *float64 `json:"backoffFactor,omitempty"`
	ReceiptTimeout     *string  `json:"receiptTimeout,omitempty"`
	DuplicateDetection *bool    `json:"duplicateDetection,omitempty"`
}

// Load reads, defaults and validates the JSON configuration file at path.
// Certificate files are resolved relative to the file's folder.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pmode: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("pmode: reading %s: %w", path, err)
	}
	c, err := Parse(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse decodes a JSON configuration, applies the defaults and validates
// it. baseDir resolves relative certificate paths; when it is empty,
// certificate files are refused and only inline PEM is accepted.
func Parse(data []byte, baseDir string) (*Config, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: configuration larger than %d bytes", ErrInvalid, MaxFileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fc fileConfig
	if err := dec.Decode(&fc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the configuration object", ErrInvalid)
	}
	c := &Config{Self: fc.Self, Parties: make(map[string]*Party, len(fc.Parties))}
	var errs []error
	for i, fp := range fc.Parties {
		field := fmt.Sprintf("parties[%d]", i)
		if _, dup := c.Parties[fp.Name]; dup {
			errs = append(errs, fieldErr(field+".name", "duplicate party name %q", fp.Name))
			continue
		}
		p := &Party{Name: fp.Name, IDs: fp.IDs, Endpoints: fp.Endpoints}
		cert, err := loadCert(fp, baseDir)
		if err != nil {
			errs = append(errs, fieldErr(field+".certificate", "%v", err))
		}
		p.Cert = cert
		c.Parties[fp.Name] = p
	}
	for i, fpm := range fc.PModes {
		pm, perrs := fpm.toPMode(fmt.Sprintf("pmodes[%d]", i))
		c.PModes = append(c.PModes, pm)
		errs = append(errs, perrs...)
	}
	if len(errs) > 0 {
		return nil, joinInvalid(errs)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// describeJSONError adds the byte offset to JSON syntax and type errors.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("JSON syntax error at byte %d: %w", syn.Offset, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("%s: want %s, got JSON %s (byte %d)", typ.Field, typ.Type, typ.Value, typ.Offset)
	}
	return err
}

// loadCert reads a party's certificate from its file or inline PEM.
func loadCert(fp fileParty, baseDir string) (*x509.Certificate, error) {
	switch {
	case fp.Certificate != "" && fp.CertificatePEM != "":
		return nil, errors.New("give either certificate or certificatePEM, not both")
	case fp.CertificatePEM != "":
		return keys.ParseCertificate([]byte(fp.CertificatePEM))
	case fp.Certificate == "":
		return nil, nil
	case baseDir == "":
		return nil, fmt.Errorf("certificate file %q given but no base folder to resolve it", fp.Certificate)
	}
	path := fp.Certificate
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return keys.ParseCertificate(data)
}

// toPMode applies the profile defaults to a file P-Mode; field names it
// in errors.
func (f filePMode) toPMode(field string) (*PMode, []error) {
	var errs []error
	dur := func(name string, dst *time.Duration, v *string) {
		if v == nil {
			return
		}
		d, err := time.ParseDuration(*v)
		if err != nil {
			errs = append(errs, fieldErr(field+".reliability."+name, "%q is not a duration such as \"90s\" or \"2m\"", *v))
			return
		}
		*dst = d
	}
	pm := &PMode{
		ID:             f.ID,
		Agreement:      f.Agreement,
		AgreementType:  f.AgreementType,
		MEP:            expandMEP(f.MEP),
		MEPBinding:     expandBinding(f.MEPBinding),
		Initiator:      f.Initiator,
		Responder:      f.Responder,
		Legs:           f.Legs,
		Security:       DefaultSecurity(),
		Reliability:    DefaultReliability(),
		Compress:       f.Compress == nil || *f.Compress,
		MaxPayloadSize: f.MaxPayloadSize,
	}
	if pm.Initiator.Role == "" {
		pm.Initiator.Role = RoleInitiator
	}
	if pm.Responder.Role == "" {
		pm.Responder.Role = RoleResponder
	}
	if s := f.Security; s != nil {
		setBool(&pm.Security.Sign, s.Sign)
		setBool(&pm.Security.Encrypt, s.Encrypt)
		setBool(&pm.Security.SendReceipt, s.SendReceipt)
		setBool(&pm.Security.NonRepudiation, s.NonRepudiation)
		setString(&pm.Security.SignatureAlgorithm, s.SignatureAlgorithm)
		setString(&pm.Security.DigestAlgorithm, s.DigestAlgorithm)
		setString(&pm.Security.DataEncryptionAlgorithm, s.DataEncryptionAlgorithm)
		setString(&pm.Security.KeyTransportAlgorithm, s.KeyTransportAlgorithm)
		setString(&pm.Security.KeyTransportDigest, s.KeyTransportDigest)
		setString(&pm.Security.KeyTransportMGF, s.KeyTransportMGF)
		setString(&pm.Security.KeyInfo, s.KeyInfo)
		setBool(&pm.Security.SignTimestamp, s.SignTimestamp)
	}
	if r := f.Reliability; r != nil {
		if r.RetryCount != nil {
			pm.Reliability.RetryCount = *r.RetryCount
		}
		dur("retryInterval", &pm.Reliability.RetryInterval, r.RetryInterval)
		if r.BackoffFactor != nil {
			pm.Reliability.BackoffFactor = *r.BackoffFactor
		}
		dur("receiptTimeout", &pm.Reliability.ReceiptTimeout, r.ReceiptTimeout)
		setBool(&pm.Reliability.DuplicateDetection, r.DuplicateDetection)
	}
	return pm, errs
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// Marshal writes c in the JSON file format, certificates inline as PEM,
// every setting spelled out. Parse(Marshal(c)) gives back an equal Config.
func Marshal(c *Config) ([]byte, error) {
	fc := fileConfig{Self: c.Self}
	for _, name := range c.PartyNames() {
		p := c.Parties[name]
		fp := fileParty{Name: p.Name, IDs: p.IDs, Endpoints: p.Endpoints}
		if p.Cert != nil {
			fp.CertificatePEM = string(keys.EncodePEM(p.Cert))
		}
		fc.Parties = append(fc.Parties, fp)
	}
	for _, pm := range c.PModes {
		s, r := pm.Security, pm.Reliability
		retry, interval, backoff, timeout := r.RetryCount, r.RetryInterval.String(), r.BackoffFactor, r.ReceiptTimeout.String()
		fc.PModes = append(fc.PModes, filePMode{
			ID: pm.ID, Agreement: pm.Agreement, AgreementType: pm.AgreementType,
			MEP: pm.MEP, MEPBinding: pm.MEPBinding,
			Initiator: pm.Initiator, Responder: pm.Responder, Legs: pm.Legs,
			Security: &fileSecurity{
				Sign: &s.Sign, Encrypt: &s.Encrypt,
				SignatureAlgorithm: s.SignatureAlgorithm, DigestAlgorithm: s.DigestAlgorithm,
				DataEncryptionAlgorithm: s.DataEncryptionAlgorithm, KeyTransportAlgorithm: s.KeyTransportAlgorithm,
				KeyTransportDigest: s.KeyTransportDigest, KeyTransportMGF: s.KeyTransportMGF,
				SendReceipt: &s.SendReceipt, NonRepudiation: &s.NonRepudiation, KeyInfo: s.KeyInfo,
				SignTimestamp: omitFalse(s.SignTimestamp),
			},
			Reliability: &fileReliability{
				RetryCount: &retry, RetryInterval: &interval, BackoffFactor: &backoff,
				ReceiptTimeout: &timeout, DuplicateDetection: &r.DuplicateDetection,
			},
			Compress:       &pm.Compress,
			MaxPayloadSize: pm.MaxPayloadSize,
		})
	}
	out, err := json.MarshalIndent(fc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("pmode: marshal: %w", err)
	}
	return append(out, '\n'), nil
}

// omitFalse leaves a false setting out of the file.
func omitFalse(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}
