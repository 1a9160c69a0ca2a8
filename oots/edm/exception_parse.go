package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// ParseExceptionResponse parses an EDM error response of any supported
// version.
func ParseExceptionResponse(data []byte) (*ExceptionResponse, error) {
	root, err := parseRoot(data, "QueryResponse")
	if err != nil {
		return nil, err
	}
	return ExceptionResponseFromElement(root)
}

// ExceptionResponseFromElement reads a query:QueryResponse element with an
// rs:Exception from an already parsed document.
func ExceptionResponseFromElement(root *etree.Element) (*ExceptionResponse, error) {
	if !regrep.Is(root, regrep.NSQuery, "QueryResponse") {
		return nil, regrep.FieldErr("query:QueryResponse", fmt.Errorf("%w: root is %s", ErrRoot, regrep.Name(root)))
	}
	xs := regrep.ChildrenNS(root, regrep.NSRS, "Exception")
	switch len(xs) {
	case 0:
		return nil, regrep.FieldErr("rs:Exception", ErrMissing)
	case 1:
	default:
		return nil, regrep.FieldErr("rs:Exception", fmt.Errorf("%w: %d exceptions", ErrDuplicate, len(xs)))
	}
	if regrep.ChildNS(root, regrep.NSRIM, "RegistryObjectList") != nil {
		return nil, regrep.FieldErr("rim:RegistryObjectList", fmt.Errorf("%w: an error response carries no evidence", ErrInvalid))
	}
	if st, _ := regrep.AttrNS(root, "", "status"); st != StatusFailure {
		return nil, regrep.FieldErr("query:QueryResponse/@status", fmt.Errorf("%w: %q with rs:Exception (want Failure)", ErrInvalid, st))
	}
	r := &ExceptionResponse{}
	rx, err := regrep.ReadException(xs[0])
	if err != nil {
		return nil, err
	}
	if err := r.Exception.read(&rx); err != nil {
		return nil, regrep.FieldErr("rs:Exception", err)
	}
	r.RequestID, _ = regrep.AttrNS(root, "", "requestId")
	if r.RequestID == "" && rx.Type != regrep.InvalidRequestException {
		return nil, regrep.FieldErr("query:QueryResponse/@requestId", ErrMissing)
	}
	raw, err := regrep.ReadSlots(root)
	if err != nil {
		return nil, err
	}
	slots := slotSet(raw)
	if r.Version, err = readVersion(slots); err != nil {
		return nil, err
	}
	if r.ResponseID, err = slots.str("EvidenceResponseIdentifier", true); err != nil {
		return nil, err
	}
	ep, err := slots.agent("ErrorProvider", true)
	if err != nil {
		return nil, err
	}
	r.ErrorProvider = *ep
	er, err := slots.agent("EvidenceRequester", true)
	if err != nil {
		return nil, err
	}
	r.EvidenceRequester = *er
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	return r, nil
}

// read fills x from a generic rs:Exception.
func (x *Exception) read(rx *regrep.Exception) error {
	x.Type = rx.Type
	x.Code = ErrorCode(rx.Code)
	x.Severity = rx.Severity
	x.Message = rx.Message
	x.Detail = rx.Detail
	slots := slotSet(rx.Slots)
	var err error
	if x.Timestamp, err = slots.dateTime("Timestamp", true); err != nil {
		return err
	}
	if x.PreviewLocation, err = slots.str("PreviewLocation", false); err != nil {
		return err
	}
	if x.PreviewLocation == "" && x.Code == CodePreviewRequired {
		return regrep.SlotErr("PreviewLocation", fmt.Errorf("%w: EDM:ERR:0002 needs a preview location", ErrMissing))
	}
	if x.PreviewLocation != "" {
		if err := checkPreviewLocation(x.PreviewLocation); err != nil {
			return regrep.SlotErr("PreviewLocation", err)
		}
	}
	m, err := slots.str("PreviewMethod", false)
	if err != nil {
		return err
	}
	if m != "" {
		if x.PreviewMethod, err = normalizeMethod(m); err != nil {
			return regrep.SlotErr("PreviewMethod", err)
		}
	}
	if sl, err := slots.lookup("PreviewDescription", false); err != nil {
		return err
	} else if sl != nil {
		ls, err := sl.InternationalValue()
		if err != nil {
			return err
		}
		for _, l := range ls {
			x.PreviewDescription = append(x.PreviewDescription, Text{Lang: l.Lang, Value: l.Value})
		}
	}
	return nil
}
