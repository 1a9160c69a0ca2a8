package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode"
)

// maxInput bounds a preview space request body.
const maxInput = 4 << 10

// Decisions a citizen can take in the preview space.
const (
	DecisionApprove = "approve"
	DecisionRefuse  = "refuse"
)

// input is what the citizen sends to the preview space: the identifier
// they sign in with and, for a decision, approve or refuse.
type input struct {
	Subject  string `json:"subject"`
	Decision string `json:"decision,omitempty"`
	// Language is the language the citizen reads (ISO 639-1, e.g. "lv");
	// the preview's texts come in it when the provider offers it.
	Language string `json:"language,omitempty"`
}

// errInput wraps every refusal of preview space input.
var errInput = errors.New("preview input")

// parseInput reads a form (application/x-www-form-urlencoded) or JSON
// body. It refuses other media types, bodies over maxInput, unknown or
// repeated fields, and identifiers that are empty, longer than 256 bytes,
// not UTF-8 or with control characters. needDecision requires a decision
// of approve or refuse.
func parseInput(contentType string, body []byte, needDecision bool) (input, error) {
	var in input
	if len(body) > maxInput {
		return in, fmt.Errorf("%w: body over %d bytes", errInput, maxInput)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return in, fmt.Errorf("%w: Content-Type %q: %w", errInput, contentType, err)
	}
	switch mt {
	case "application/json":
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return in, fmt.Errorf("%w: json: %w", errInput, err)
		}
		if dec.More() {
			return in, fmt.Errorf("%w: json: data after the object", errInput)
		}
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return in, fmt.Errorf("%w: form: %w", errInput, err)
		}
		for k, v := range vals {
			if len(v) != 1 {
				return in, fmt.Errorf("%w: form field %q given %d times", errInput, k, len(v))
			}
			switch k {
			case "subject":
				in.Subject = v[0]
			case "decision":
				in.Decision = v[0]
			case "language":
				in.Language = v[0]
			default:
				return in, fmt.Errorf("%w: unknown form field %q", errInput, k)
			}
		}
	default:
		return in, fmt.Errorf("%w: Content-Type %q (want a form or JSON)", errInput, mt)
	}
	if in.Language != "" && !languageRE.MatchString(in.Language) {
		return in, fmt.Errorf("%w: language %q is not an ISO 639-1 code", errInput, in.Language)
	}
	in.Subject = strings.TrimSpace(in.Subject)
	if err := checkSubject(in.Subject); err != nil {
		return in, err
	}
	switch {
	case needDecision && in.Decision != DecisionApprove && in.Decision != DecisionRefuse:
		return in, fmt.Errorf("%w: decision %q (want %s or %s)", errInput, in.Decision, DecisionApprove, DecisionRefuse)
	case !needDecision && in.Decision != "":
		return in, fmt.Errorf("%w: decision given where none is taken", errInput)
	}
	return in, nil
}

// checkSubject validates the identifier a citizen signs in with.
func checkSubject(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: subject: empty", errInput)
	case len(s) > 256:
		return fmt.Errorf("%w: subject: over 256 bytes", errInput)
	case strings.ContainsFunc(s, func(r rune) bool { return r == unicode.ReplacementChar || unicode.IsControl(r) }):
		return fmt.Errorf("%w: subject: control or invalid characters", errInput)
	}
	return nil
}
