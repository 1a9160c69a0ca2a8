package wss

import "io"

// Part is one MIME attachment (SwA part) as WS-Security sees it.
type Part struct {
	// ContentID is the part's Content-ID without "cid:" and without angle
	// brackets; references name it as "cid:" + ContentID.
	ContentID string
	// ContentType is the MIME type of the bytes Open returns.
	ContentType string
	// Open returns the part's content from the start. It is called once per
	// pass (digest, encryption) and must return the same bytes every time;
	// large parts are file-backed.
	Open func() (io.ReadCloser, error)
}

// findPart returns the part whose Content-ID is cid, and its index.
func findPart(parts []Part, cid string) (Part, int, bool) {
	for i, p := range parts {
		if p.ContentID == cid {
			return p, i, true
		}
	}
	return Part{}, -1, false
}
