package as4_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// TestOnePartyIDPerParty: a party known by several ids (its access point
// and the data services behind it) is named by its first id only in
// eb:From and eb:To, as in every official sample and the Domibus P-Mode;
// the receiver still accepts the message.
func TestOnePartyIDPerParty(t *testing.T) {
	w := newWorld(t, 1)
	extra := []pmode.PartyID{{Value: "DS_DE_01", Type: as4.PartyIDTypeOOTS}, {Value: "DS_DE_02", Type: as4.PartyIDTypeOOTS}}
	for _, cfg := range []*pmode.Config{w.sendCfg, w.recvCfg} {
		cfg.Parties["de"].IDs = append(cfg.Parties["de"].IDs, extra...)
		cfg.Parties["lv"].IDs = append(cfg.Parties["lv"].IDs, pmode.PartyID{Value: "DS_LV_01", Type: as4.PartyIDTypeOOTS})
	}
	if _, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>")))); err != nil {
		t.Fatal(err)
	}
	req := w.lastRequest()
	spool := &as4.Spool{Dir: t.TempDir()}
	defer spool.Cleanup()
	env, _, err := as4.ReadMIME(bytes.NewReader(req.body), req.contentType, as4.Limits{}, spool)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xmlsafe.ParseBytes(env)
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{"From", "To"} {
		ids := doc.FindElements("//" + side + "/PartyId")
		if len(ids) != 1 {
			t.Errorf("eb:%s has %d PartyIds, want 1", side, len(ids))
			continue
		}
		if want := map[string]string{"From": "AP_LV_01", "To": "AP_DE_01"}[side]; ids[0].Text() != want {
			t.Errorf("eb:%s PartyId %s, want %s", side, ids[0].Text(), want)
		}
	}
}
