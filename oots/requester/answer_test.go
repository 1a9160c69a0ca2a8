package requester

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestReadAnswer: the two kinds of answer are read with their ties.
func TestReadAnswer(t *testing.T) {
	preview, evidence := answers("ev1@demo")
	a, idx, err := readAnswer(delivery(as4.ActionExceptionResponse, preview))
	if err != nil || idx != 0 {
		t.Fatalf("preview answer: %v (edm part %d)", err, idx)
	}
	x, ok := a.Message.(*edm.ExceptionResponse)
	if !ok || !x.PreviewRequired() || x.ExchangeID != "exchange-1" || a.ExchangeID != "exchange-1" || a.RefToMessageID != "request-1@lv" {
		t.Fatalf("preview answer: %+v", a)
	}
	a, _, err = readAnswer(delivery(as4.ActionQueryResponse, evidence, as4.Payload{ContentID: "ev1@demo", MimeType: "application/pdf", Open: opener([]byte("%PDF-1.4"))}))
	if qr, ok := a.Message.(*edm.QueryResponse); err != nil || !ok || qr.ExchangeID != "exchange-1" {
		t.Fatalf("evidence answer: %T, %v", a.Message, err)
	}
	// Without the ExchangeId property the ConversationId stands in.
	d := delivery(as4.ActionExceptionResponse, preview)
	d.Message.Properties = nil
	if a, _, err := readAnswer(d); err != nil || a.ExchangeID != "conv-1" {
		t.Fatalf("no ExchangeId property: %q, %v; want the ConversationId", a.ExchangeID, err)
	}
}

// TestReadAnswerHostile: each broken or hostile answer is refused with an
// error naming what was wrong, and never reaches OnAnswer.
func TestReadAnswerHostile(t *testing.T) {
	preview, evidence := answers("ev1@demo")
	pdf := as4.Payload{ContentID: "ev1@demo", MimeType: "application/pdf", Open: opener([]byte("%PDF-1.4"))}
	tests := []struct {
		name string
		d    *as4.Delivery
		want string
	}{
		{"request action", delivery(as4.ActionQueryRequest, preview), "action"},
		{"other service", func() *as4.Delivery {
			d := delivery(as4.ActionExceptionResponse, preview)
			d.Message.Service = "Other"
			return d
		}(), "service"},
		{"no RefToMessageId", func() *as4.Delivery {
			d := delivery(as4.ActionExceptionResponse, preview)
			d.Message.RefToMessageID = ""
			return d
		}(), "RefToMessageId"},
		{"no EDM part", &as4.Delivery{Message: delivery(as4.ActionQueryResponse, nil).Message, Payloads: []as4.Payload{pdf}}, "no application/x-ebrs+xml part"},
		{"two EDM parts", delivery(as4.ActionExceptionResponse, preview, as4.Payload{ContentID: "x", MimeType: as4.MimeEbRS, Open: opener(preview)}), "more than one"},
		{"malformed XML", delivery(as4.ActionExceptionResponse, []byte("<query:QueryResponse")), "EDM payload"},
		{"DOCTYPE entity (XXE)", delivery(as4.ActionExceptionResponse, []byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`)), "EDM payload"},
		{"over 8 MiB", delivery(as4.ActionExceptionResponse, []byte("<r>"+strings.Repeat(" ", 8<<20)+"</r>")), "EDM payload"},
		{"evidence under the exception action", delivery(as4.ActionExceptionResponse, evidence, pdf), "carries a QueryResponse"},
		{"exception under the response action", delivery(as4.ActionQueryResponse, preview), "carries an ExceptionResponse"},
		{"evidence attachment missing", delivery(as4.ActionQueryResponse, evidence), "no such payload"},
		{"payload no evidence names", delivery(as4.ActionExceptionResponse, preview, pdf), "no evidence refers to it"},
		{"request instead of answer", delivery(as4.ActionQueryResponse, mustRequest(t)), "not an answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAnswer(tt.d)
			if !errors.Is(err, errDelivery) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v; want an answer refusal naming %q", err, tt.want)
			}
		})
	}
}

func mustRequest(t *testing.T) []byte {
	q := testQuery()
	b, err := q.request(time.Now()).Marshal(edm.V1)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeliverKeepsAttachments: the evidence is copied to a file under
// answers/ with its size and SHA-256; a failing callback removes the files
// and marks the request for a retry, a good one keeps them.
func TestDeliverKeepsAttachments(t *testing.T) {
	_, evidence := answers("ev1@demo")
	doc := []byte("%PDF-1.4 evidence of Anna Bērziņa")
	var got []Answer
	fail := true
	r := &Requester{cfg: Config{Logger: quietLogger(), OnAnswer: func(_ context.Context, a Answer) error {
		got = append(got, a)
		if fail {
			return errors.New("database down")
		}
		return nil
	}}, answerDir: t.TempDir()}
	d := delivery(as4.ActionQueryResponse, evidence, as4.Payload{ContentID: "ev1@demo", MimeType: "application/pdf", Open: opener(doc)})

	flag := new(retryFlag)
	err := r.deliver(withRetryFlag(context.Background(), flag), d)
	if err == nil || !flag.Load() {
		t.Fatalf("failing callback: err %v, retry flagged %v; want an error and a retry", err, flag.Load())
	}
	if _, serr := os.Stat(got[0].Attachments[0].Path); !os.IsNotExist(serr) {
		t.Fatalf("attachment file left after the failed callback: %v", serr)
	}

	fail = false
	flag = new(retryFlag)
	if err := r.deliver(withRetryFlag(context.Background(), flag), d); err != nil || flag.Load() {
		t.Fatalf("good callback: %v (retry %v)", err, flag.Load())
	}
	att := got[1].Attachments[0]
	data, err := os.ReadFile(att.Path)
	if err != nil || string(data) != string(doc) || att.SHA256 != sha256.Sum256(doc) || att.Size != int64(len(doc)) || att.ContentType != "application/pdf" {
		t.Fatalf("kept attachment %+v: %q, %v", att, data, err)
	}
	if rel, _ := filepath.Rel(r.answerDir, att.Path); strings.Contains(rel, "..") || strings.Contains(rel, "@") {
		t.Errorf("attachment path %q: want a hashed folder below answers/", att.Path)
	}

	// A broken answer is refused without a retry and without OnAnswer.
	flag = new(retryFlag)
	n := len(got)
	if err := r.deliver(withRetryFlag(context.Background(), flag), delivery(as4.ActionQueryResponse, evidence)); err == nil || flag.Load() || len(got) != n {
		t.Fatalf("broken answer: %v, retry %v, callbacks %d; want a final refusal", err, flag.Load(), len(got)-n)
	}
}

// TestDeliverRuleBrokenAnswer: an answer whose EDM payload breaks an OOTS
// rule is refused without a retry, and OnAnswer hears of it once, with
// the rule and no message, so the request's timeline records it.
func TestDeliverRuleBrokenAnswer(t *testing.T) {
	_, evidence := answers("ev1@demo")
	broken := bytes.Replace(evidence, []byte(">LV/FI/12345612345<"), []byte(">LV/DE/123<"), 1)
	if bytes.Equal(broken, evidence) {
		t.Fatal("the evidence answer has no subject identifier to break")
	}
	var got []Answer
	r := &Requester{cfg: Config{Logger: quietLogger(), OnAnswer: func(_ context.Context, a Answer) error {
		got = append(got, a)
		return nil
	}}, answerDir: t.TempDir()}
	pdf := as4.Payload{ContentID: "ev1@demo", MimeType: "application/pdf", Open: opener([]byte("%PDF-1.4"))}
	flag := new(retryFlag)
	err := r.deliver(withRetryFlag(context.Background(), flag), delivery(as4.ActionQueryResponse, broken, pdf))
	if err == nil || flag.Load() {
		t.Fatalf("rule-broken answer: %v, retry %v; want a final refusal", err, flag.Load())
	}
	if len(got) != 1 || got[0].Message != nil || got[0].Refused == nil || got[0].Refused.Rule != "R-EDM-RESP-C028" || got[0].ExchangeID != "exchange-1" {
		t.Fatalf("OnAnswer got %+v; want one refused answer naming R-EDM-RESP-C028", got)
	}
}
