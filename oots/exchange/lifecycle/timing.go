package lifecycle

import "time"

// Timings are the expected-by durations of the open steps. A zero field
// takes its value from DefaultTimings.
type Timings struct {
	// LookUp bounds the EB and DSD queries of a draft request. The common
	// services answer synchronously over HTTPS; OOTS fixes no number, so
	// this is the service's own bound.
	LookUp time.Duration
	// UserInput bounds how long the service keeps a request that waits
	// for the user (attributes, explicit request): the service's own
	// setting.
	UserInput time.Duration
	// Transport bounds the AS4 send until a receipt arrives: the OOTS
	// P-Mode reception awareness, retry="12;4;CONSTANT" (12 minutes, 4
	// retries) in oots-spec/as4/v2.0/oots-france-pmode/
	// configuration_PMode_Domibus.xml.
	Transport time.Duration
	// Response bounds the wait for the provider's answer after sending.
	// The OOTS TDD (EDM, "Sample flows") lets the provider return
	// EDM:ERR:0005 "Exceeding timeout period" or a later
	// ResponseAvailableDateTime but fixes no number; this is the service's
	// own bound.
	Response time.Duration
	// Preview bounds the user's visit to the preview space (TC09 of the
	// Projectathon cases: preview closure or time-out); OOTS fixes no
	// number, the service's own bound.
	Preview time.Duration
	// ProcessingDays is the procedure's processing time in working days
	// after delivery, shown as the decision's expected-by date.
	ProcessingDays int
}

// Defaults returns the timings used where a request's Timings leave a
// field zero.
func Defaults() Timings {
	return Timings{
		LookUp:         2 * time.Minute,
		UserInput:      30 * 24 * time.Hour,
		Transport:      12 * time.Minute,
		Response:       24 * time.Hour,
		Preview:        24 * time.Hour,
		ProcessingDays: 10,
	}
}

// MaxDeferral caps how far in the future a provider's
// ResponseAvailableDateTime is accepted.
const MaxDeferral = 90 * 24 * time.Hour

// withDefaults fills the zero fields of t from Defaults.
func (t Timings) withDefaults() Timings {
	d := Defaults()
	if t.LookUp > 0 {
		d.LookUp = t.LookUp
	}
	if t.UserInput > 0 {
		d.UserInput = t.UserInput
	}
	if t.Transport > 0 {
		d.Transport = t.Transport
	}
	if t.Response > 0 {
		d.Response = t.Response
	}
	if t.Preview > 0 {
		d.Preview = t.Preview
	}
	if t.ProcessingDays > 0 {
		d.ProcessingDays = t.ProcessingDays
	}
	return d
}

// addWorkingDays returns t moved forward by n working days (Monday to
// Friday, UTC); public holidays are not known here.
func addWorkingDays(t time.Time, n int) time.Time {
	t = t.UTC()
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}
