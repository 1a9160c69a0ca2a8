package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Handoffs makes and redeems the one-time links that carry a person from
// the portal, or from another device, into the app with a request started.
type Handoffs struct {
	reqs   *Requests
	signer *handoff.Signer
}

// NewHandoffs returns the handoff use cases over the request use cases,
// signing links with key (at least 32 bytes; Config.HandoffKey). Every
// process that serves the same links needs the same key. Without one, a
// random key is made: links then work on this process until it stops.
func NewHandoffs(reqs *Requests, key []byte) *Handoffs {
	signer, err := handoff.NewSigner(key)
	if err != nil {
		if key != nil {
			reqs.log.Error("the handoff key is not used", "err", err)
		}
		reqs.log.Warn("no handoff key configured: handoff links made here work only on this process until it stops (set -handoff-key-file)")
		signer, _ = handoff.NewSigner(handoff.NewKey())
	}
	return &Handoffs{reqs: reqs, signer: signer}
}

// Create makes a handoff that starts the request in when redeemed within
// handoff.Lifetime; subject binds it to one person ("" for anyone). base
// is the service's public URL for the https form of the link.
func (h *Handoffs) Create(ctx context.Context, subject string, in api.NewHandoff, base string) (*api.Handoff, error) {
	if in.RequestID != "" {
		return nil, fmt.Errorf("%w: a handoff for a request is made by someone signed in (Pair)", ErrInvalid)
	}
	if _, err := h.reqs.checkNew(ctx, api.NewRequest{ServiceID: in.ServiceID, Requirement: in.Requirement, Country: in.Country}); err != nil {
		return nil, err
	}
	return h.make(ctx, store.Handoff{ServiceID: in.ServiceID, Requirement: in.Requirement, Country: in.Country, Subject: subject}, base)
}

// Pair makes a handoff that opens request id on another device: the phone
// of whoever made it (the owner, or their representative), or, when a
// clerk of the request's institution hands the case over, the applicant's.
// It is bound to that person: a company's applicant is the representative
// who acts for it (no one signs in as a company). Made by that person, it
// also signs a signed-out phone in as signedIn: as they signed in, without
// a role an administrator assigned.
func (h *Handoffs) Pair(ctx context.Context, who, signedIn Principal, id, base string) (*api.Handoff, error) {
	rec, doc, err := h.reqs.loadAs(ctx, who, id, true)
	if err != nil {
		return nil, err
	}
	holder := applicant(rec, doc)
	if who.Subject == rec.Representative {
		holder = who.Subject
	}
	v := doc.Facts
	pairing := store.Handoff{ServiceID: v.ServiceID, Requirement: v.Requirement, Country: v.Country, Subject: holder, RequestID: id}
	if signedIn.Subject == holder { // their own phone may be signed out: the code signs it in
		grant, err := json.Marshal(signedIn)
		if err != nil {
			return nil, err
		}
		pairing.Grant = string(grant)
	}
	return h.make(ctx, pairing, base)
}

// make stores rec as a new handoff, valid for handoff.Lifetime, and
// returns its link and code.
func (h *Handoffs) make(ctx context.Context, rec store.Handoff, base string) (*api.Handoff, error) {
	now := h.reqs.now().UTC()
	rec.ID, rec.CreatedAt, rec.ExpiresAt = handoff.NewID(), now, now.Add(handoff.Lifetime).Truncate(time.Second)
	rec.SignedBy = h.signer.KeyID()
	token, err := h.signer.Token(rec.ID, rec.ExpiresAt)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		rec.Code = handoff.NewCode()
		err = h.reqs.store.PutHandoff(ctx, rec)
		if err == nil || attempt == 2 { // a code taken by a live handoff: draw another
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return &api.Handoff{
		Link:      strings.TrimSuffix(base, "/") + "/open/" + handoff.Path(token),
		AppLink:   "vienreiz://" + handoff.Path(token),
		Code:      rec.Code,
		ExpiresAt: rec.ExpiresAt,
	}, nil
}

// Redeem starts, for who, the request a handoff link or code stands for
// (or opens theirs for the same evidence that is under way), and marks
// it used. A forged, unknown, expired, used or other person's
// handoff is refused with its handoff error, and nothing is started.
func (h *Handoffs) Redeem(ctx context.Context, who Principal, in api.Redeem) (*api.Request, error) {
	req, _, err := h.redeem(ctx, who, in)
	return req, err
}

// redeem is Redeem that also says whether it started the request (a
// pairing, or a code for evidence asked already, opens one that was
// there).
func (h *Handoffs) redeem(ctx context.Context, who Principal, in api.Redeem) (*api.Request, bool, error) {
	rec, err := h.find(ctx, in)
	if err != nil {
		return nil, false, err
	}
	now := h.reqs.now()
	switch {
	case !now.Before(rec.ExpiresAt):
		return nil, false, handoff.ErrExpired
	case !rec.UsedAt.IsZero():
		return nil, false, handoff.ErrUsed
	case rec.Subject != "" && rec.Subject != who.Subject:
		return nil, false, handoff.ErrOtherPerson
	case rec.Grant != "" && rec.RequestID == "":
		return nil, false, errSignsIn
	}
	if err := h.reqs.store.UseHandoff(ctx, rec.ID, who.Subject, now.UTC()); errors.Is(err, store.ErrConflict) {
		return nil, false, handoff.ErrUsed
	} else if err != nil {
		return nil, false, err
	}
	if rec.RequestID != "" { // pairing: the same request, on this device
		req, err := h.reqs.Get(ctx, who, rec.RequestID)
		if err != nil {
			return nil, false, errors.Join(err, h.reqs.store.GiveBackHandoff(context.WithoutCancel(ctx), rec.ID))
		}
		return req, false, nil
	}
	want := api.NewRequest{ServiceID: rec.ServiceID, Requirement: rec.Requirement, Country: rec.Country, MandateID: in.MandateID}
	req, created, err := h.reqs.Start(ctx, who, want) // asked already: that request, not a second
	if err != nil {
		// Nothing was started: give the handoff back.
		return nil, false, errors.Join(err, h.reqs.store.FinishHandoff(context.WithoutCancel(ctx), rec.ID, ""))
	}
	if err := h.reqs.store.FinishHandoff(ctx, rec.ID, req.ID); err != nil {
		h.reqs.log.Warn("handoff: request opened but not noted", "handoff", rec.ID, "request", req.ID, "err", err)
	}
	return req, created, nil
}

// find returns the stored handoff a link or code names.
func (h *Handoffs) find(ctx context.Context, in api.Redeem) (*store.Handoff, error) {
	var (
		rec *store.Handoff
		err error
	)
	switch {
	case in.Link != "" && in.Code != "":
		return nil, fmt.Errorf("%w: give a link or a code, not both", ErrInvalid)
	case in.Link != "":
		token, ok := handoff.TokenOf(in.Link)
		if !ok {
			return nil, handoff.ErrForged
		}
		id, verr := h.signer.Verify(token, h.reqs.now())
		if errors.Is(verr, handoff.ErrForged) {
			return nil, h.forged(ctx, token)
		}
		if verr != nil {
			return nil, verr
		}
		rec, err = h.reqs.store.Handoff(ctx, id)
	case in.Code != "":
		code, ok := handoff.NormalizeCode(in.Code)
		if !ok {
			return nil, handoff.ErrUnknown
		}
		rec, err = h.reqs.store.HandoffByCode(ctx, code)
	default:
		return nil, fmt.Errorf("%w: give a handoff link or code", ErrInvalid)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, handoff.ErrUnknown
	}
	return rec, err
}

// forged tells a link signed with an earlier key (it names a live handoff
// whose link another key signed) from one that was made up or altered.
func (h *Handoffs) forged(ctx context.Context, token string) error {
	id, ok := handoff.IDOf(token)
	if !ok {
		return handoff.ErrForged
	}
	rec, err := h.reqs.store.Handoff(ctx, id)
	if err != nil || rec.SignedBy == h.signer.KeyID() || !h.reqs.now().Before(rec.ExpiresAt) || !rec.UsedAt.IsZero() {
		return handoff.ErrForged // altered, or past caring
	}
	return errKeyChanged
}

// errKeyChanged: a live handoff's link carries the signature of a key the
// service no longer has; its short code still works.
var errKeyChanged = fmt.Errorf("%w: this link was signed before the service's link key was changed; type the code shown with it instead, or ask for a new link", handoff.ErrForged)

func (a *restAPI) createHandoff(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.NewHandoff
	if !readJSON(w, r, &in) {
		return
	}
	var out *api.Handoff
	var err error
	if in.RequestID != "" {
		out, err = a.handoffs.Pair(r.Context(), who, a.signedInAs(r), in.RequestID, publicBase(r))
	} else {
		out, err = a.handoffs.Create(r.Context(), who.Subject, in, publicBase(r))
	}
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *restAPI) redeemHandoff(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.Redeem
	if !readJSON(w, r, &in) {
		return
	}
	out, started, err := a.handoffs.redeem(r.Context(), who, in)
	if status, code, ok := handoffRefusal(err); ok {
		writeError(w, status, code, err.Error())
		return
	}
	status := http.StatusCreated
	if !started { // a request that was there was opened
		status = http.StatusOK
	}
	a.answer(w, r, status, out, err)
}

// handoffRefusal is the HTTP answer to a refused handoff.
func handoffRefusal(err error) (status int, code string, ok bool) {
	switch {
	case errors.Is(err, errKeyChanged):
		return http.StatusBadRequest, api.CodeHandoffKeyChanged, true
	case errors.Is(err, handoff.ErrForged), errors.Is(err, handoff.ErrUnknown):
		return http.StatusBadRequest, api.CodeHandoffInvalid, true
	case errors.Is(err, handoff.ErrExpired):
		return http.StatusGone, api.CodeHandoffExpired, true
	case errors.Is(err, handoff.ErrUsed):
		return http.StatusConflict, api.CodeHandoffUsed, true
	case errors.Is(err, handoff.ErrOtherPerson):
		return http.StatusForbidden, api.CodeHandoffOtherPerson, true
	case errors.Is(err, errNeedsSignIn):
		return http.StatusConflict, api.CodeHandoffNeedsSignIn, true
	case errors.Is(err, errSignsIn):
		return http.StatusConflict, api.CodeHandoffSignsIn, true
	}
	return 0, "", false
}

// publicBase is the scheme and host the caller reached the service at,
// for links that point back to it.
func publicBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
