package provider

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ReturnParam is the query parameter of a PreviewLocation in which the
// requester gives the address the preview space sends the citizen's
// browser back to after the decision (OOTS technical design 4.9).
const ReturnParam = "returnurl"

// MaxReturnURL bounds a return URL.
const MaxReturnURL = 2048

// errReturnURL wraps every refusal of a return URL.
var errReturnURL = errors.New("return URL")

// parseReturnURL checks a return URL: "" is none (nil); otherwise an
// absolute http or https URL with a host, without credentials, of at most
// MaxReturnURL bytes.
func parseReturnURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > MaxReturnURL {
		return nil, fmt.Errorf("%w: over %d bytes", errReturnURL, MaxReturnURL)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %w", errReturnURL, err)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "", u.Opaque != "":
		return nil, fmt.Errorf("%w: %q is not an absolute http or https URL", errReturnURL, s)
	case u.User != nil:
		return nil, fmt.Errorf("%w: carries credentials", errReturnURL)
	}
	return u, nil
}

// returnURL reads the return URL of a preview space request; a bad one
// is a previewError the citizen sees.
func returnURL(r *http.Request) (*url.URL, error) {
	u, err := parseReturnURL(r.URL.Query().Get(ReturnParam))
	if err != nil {
		return nil, &previewError{http.StatusBadRequest, "The address to go back to after the preview is not valid; go back to the authority that asked for the evidence and try again."}
	}
	return u, nil
}

// withReturn is the query that carries back to a page of ours.
func withReturn(back *url.URL) string {
	if back == nil {
		return ""
	}
	return "?" + ReturnParam + "=" + url.QueryEscape(back.String())
}

// origin is the scheme and host of back, "" for none.
func origin(back *url.URL) string {
	if back == nil {
		return ""
	}
	return back.Scheme + "://" + back.Host
}
