package app

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// Screens a direct link (principle P7) can name.
const (
	ScreenServices = "services" // the catalogue, or one service with ID
	ScreenRequests = "requests" // my requests, or one request with ID
	ScreenWallet   = "wallet"   // my documents, or one document: ID and Index
	ScreenInbox    = "inbox"
	ScreenProfile  = "profile"
	ScreenDesk     = "desk"    // the clerk's work queue, or one application with ID
	ScreenHandoff  = "handoff" // a one-time handoff link: ID is its token
)

// ErrNotALink is returned for text that is no link to a screen of the app.
var ErrNotALink = errors.New("this is not a Vienreiz link")

// Link names one screen of the app. It has two written forms:
// vienreiz://SCREEN/ID and https://HOST/open/SCREEN/ID; QR codes carry
// them, and "Copy link" puts them on the clipboard.
type Link struct {
	Screen string
	ID     string // empty for the screen itself
	Index  int    // the document's number, for ScreenWallet with an ID
}

// ParseLink reads either form of a link.
func ParseLink(s string) (Link, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return Link{}, ErrNotALink
	}
	var path string
	switch u.Scheme {
	case "vienreiz":
		path = u.Host + u.EscapedPath()
	case "https", "http":
		var ok bool
		if path, ok = strings.CutPrefix(u.EscapedPath(), "/open/"); !ok {
			return Link{}, ErrNotALink
		}
	default:
		return Link{}, ErrNotALink
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range parts {
		if parts[i], err = url.PathUnescape(p); err != nil {
			return Link{}, ErrNotALink
		}
	}
	l := Link{Screen: parts[0]}
	switch {
	case len(parts) == 1 && l.Screen != ScreenHandoff:
	case len(parts) == 2 && parts[1] != "":
		l.ID = parts[1]
	case len(parts) == 3 && l.Screen == ScreenWallet && parts[1] != "":
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 {
			return Link{}, ErrNotALink
		}
		l.ID, l.Index = parts[1], n
	default:
		return Link{}, ErrNotALink
	}
	switch l.Screen {
	case ScreenServices, ScreenRequests, ScreenWallet, ScreenInbox, ScreenProfile, ScreenDesk, ScreenHandoff:
		return l, nil
	}
	return Link{}, ErrNotALink
}

// path is the link without its scheme and host: SCREEN[/ID[/INDEX]].
func (l Link) path() string {
	p := l.Screen
	if l.ID != "" {
		p += "/" + url.PathEscape(l.ID)
		if l.Screen == ScreenWallet {
			p += "/" + strconv.Itoa(l.Index)
		}
	}
	return p
}

// App is the vienreiz:// form, which opens the installed app.
func (l Link) App() string { return "vienreiz://" + l.path() }

// Web is the https form below the service at base; it opens the app
// where it is installed and the portal's page otherwise.
func (l Link) Web(base string) string { return strings.TrimSuffix(base, "/") + "/open/" + l.path() }

// ServiceLink, RequestLink and DocumentLink name those pages.
func ServiceLink(id string) Link { return Link{Screen: ScreenServices, ID: id} }

// RequestLink names the page of request id.
func RequestLink(id string) Link { return Link{Screen: ScreenRequests, ID: id} }

// DocumentLink names document index of request id in the wallet.
func DocumentLink(requestID string, index int) Link {
	return Link{Screen: ScreenWallet, ID: requestID, Index: index}
}

// pendingLinkKey keeps a link that waits for sign-in across runs.
const pendingLinkKey = "links.pending"

// Links follows direct links: the shell opens the screen a link names, or,
// while nobody is signed in, keeps it until sign-in is done.
type Links struct {
	prefs Preferences
	// Base is the service's URL, for the https form of links.
	Base string
	// SignedIn reports whether screens that need a person can be shown;
	// nil means always (the demo's built-in person).
	SignedIn func() bool
	// Show opens the screen of a link (set by the user interface).
	Show func(Link)
}

// NewLinks returns the link follower over prefs, with links below base.
func NewLinks(prefs Preferences, base string) *Links {
	return &Links{prefs: prefs, Base: base}
}

// Follow opens the screen of link text s, or keeps it for after sign-in.
func (k *Links) Follow(s string) error {
	l, err := ParseLink(s)
	if err != nil {
		return err
	}
	// The catalogue is open to everyone; every other screen is a
	// person's. A handoff may be a pairing, which signs this device in.
	if l.Screen != ScreenServices && l.Screen != ScreenHandoff && k.SignedIn != nil && !k.SignedIn() {
		k.Wait(l)
		return nil
	}
	if k.Show != nil {
		k.Show(l)
	}
	return nil
}

// Wait keeps link l until sign-in is done (a handoff that turned out to
// need a signed-in person).
func (k *Links) Wait(l Link) { k.prefs.SetString(pendingLinkKey, l.App()) }

// Pending returns the link kept until sign-in, if any.
func (k *Links) Pending() (Link, bool) {
	l, err := ParseLink(k.prefs.String(pendingLinkKey))
	return l, err == nil
}

// Resume opens the link kept until sign-in; call it once sign-in is done.
func (k *Links) Resume() {
	l, ok := k.Pending()
	if !ok {
		return
	}
	k.prefs.SetString(pendingLinkKey, "")
	if k.Show != nil {
		k.Show(l)
	}
}
