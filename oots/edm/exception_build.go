package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Marshal returns the error response as an EDM document of version v.
func (r *ExceptionResponse) Marshal(v Version) ([]byte, error) {
	doc, err := r.Build(v)
	if err != nil {
		return nil, err
	}
	return serialize(doc)
}

// Build returns the error response as an etree document of version v.
func (r *ExceptionResponse) Build(v Version) (*etree.Document, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	x := &r.Exception
	doc, root := newDocument("query:QueryResponse")
	root.CreateAttr("status", StatusFailure)
	if r.RequestID != "" {
		root.CreateAttr("requestId", r.RequestID)
	}
	regrep.NewSlot("SpecificationIdentifier", regrep.String(string(v))).Build(root)
	regrep.NewSlot("EvidenceResponseIdentifier", regrep.String(r.ResponseID)).Build(root)
	if _, err := buildAgent(regrep.StartAnySlot(root, "ErrorProvider"), "sdg:Agent", &r.ErrorProvider); err != nil {
		return nil, regrep.SlotErr("ErrorProvider", err)
	}
	if _, err := buildAgent(regrep.StartAnySlot(root, "EvidenceRequester"), "sdg:Agent", &r.EvidenceRequester); err != nil {
		return nil, regrep.SlotErr("EvidenceRequester", err)
	}
	rx := regrep.Exception{
		Type:     x.Type,
		Severity: x.Severity,
		Message:  x.Message,
		Detail:   x.Detail,
		Code:     string(x.Code),
	}
	if rx.Type == "" {
		rx.Type = x.Code.ExceptionType()
	}
	switch {
	case rx.Severity == "" && x.Code == CodePreviewRequired, isPreviewSeverity(rx.Severity):
		rx.Severity = previewSeverity(v)
	case rx.Severity == "":
		rx.Severity = SeverityError
	}
	if rx.Message == "" {
		rx.Message = x.Code.Name()
	}
	rx.Slots = append(rx.Slots, regrep.NewSlot("Timestamp", regrep.DateTime(x.Timestamp)))
	if x.PreviewLocation != "" {
		rx.Slots = append(rx.Slots, regrep.NewSlot("PreviewLocation", regrep.String(x.PreviewLocation)))
	}
	if len(x.PreviewDescription) > 0 {
		ls := make([]regrep.LocalizedString, len(x.PreviewDescription))
		for i, t := range x.PreviewDescription {
			ls[i] = regrep.LocalizedString{Lang: t.Lang, Value: t.Value}
		}
		rx.Slots = append(rx.Slots, regrep.NewSlot("PreviewDescription", regrep.International(ls...)))
	}
	if x.PreviewMethod != "" {
		m, _ := normalizeMethod(x.PreviewMethod)
		rx.Slots = append(rx.Slots, regrep.NewSlot("PreviewMethod", regrep.String(m)))
	}
	rx.Build(root)
	return doc, nil
}

func (r *ExceptionResponse) check() error {
	x := &r.Exception
	switch {
	case r.RequestID == "" && x.Code != CodeInvalidRequest && x.Type != regrep.InvalidRequestException:
		return regrep.FieldErr("query:QueryResponse/@requestId", ErrMissing)
	case r.ResponseID == "":
		return regrep.SlotErr("EvidenceResponseIdentifier", ErrMissing)
	case !x.Code.Known() && x.Type == "":
		// Unknown codes are written only with an explicit type (e.g. when
		// re-writing a message as received).
		return regrep.FieldErr("rs:Exception/@code", fmt.Errorf("%w: %q is not in the EDMErrorCodes code list", ErrInvalid, x.Code))
	case x.Timestamp.IsZero():
		return regrep.FieldErr("rs:Exception", regrep.SlotErr("Timestamp", ErrMissing))
	case x.Code == CodePreviewRequired && x.PreviewLocation == "":
		return regrep.FieldErr("rs:Exception", regrep.SlotErr("PreviewLocation", fmt.Errorf("%w: EDM:ERR:0002 needs a preview location", ErrMissing)))
	}
	if x.PreviewLocation != "" {
		if err := checkPreviewLocation(x.PreviewLocation); err != nil {
			return regrep.FieldErr("rs:Exception", regrep.SlotErr("PreviewLocation", err))
		}
	}
	if x.PreviewMethod != "" {
		if _, err := normalizeMethod(x.PreviewMethod); err != nil {
			return regrep.FieldErr("rs:Exception", regrep.SlotErr("PreviewMethod", err))
		}
	}
	return nil
}
