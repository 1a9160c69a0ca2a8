package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/catalogue"
)

// evidenceStatus is what a service page knows of the person's evidence:
// the wallet's document that meets a requirement, and the latest request
// for it, which openRequest opens.
type evidenceStatus struct {
	held        func(requirement string) (app.WalletItem, bool)
	latest      func(requirement string) (api.Request, bool)
	openRequest func(id string)
}

// underWay is the request for requirement that has not ended, if any.
func (s evidenceStatus) underWay(requirement string) (api.Request, bool) {
	req, ok := s.latest(requirement)
	return req, ok && app.StillOpen(&req)
}

// NewServiceDetail shows one service: what it is, who provides it, the
// evidence it needs, how long it takes and on which legal basis. Each
// piece of evidence can be requested; request is called with it; one
// asked for already leads to its request. Evidence about a company says
// so, and, when the person acts for a company (forCompany), evidence
// about a person does.
func NewServiceDetail(svc catalogue.Service, code, categoryName string, forCompany bool, request func(catalogue.Service, catalogue.Evidence), status evidenceStatus) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(svc.Name.In(code), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	title.SizeName = "subHeadingText"

	desc := widget.NewLabel(svc.Description.In(code))
	desc.Wrapping = fyne.TextWrapWord

	facts := newFacts(
		widget.NewFormItem(lang.L("detail.provider"), wrapped(svc.Provider.Name.In(code))),
		widget.NewFormItem(lang.L("detail.country"), wrapped(countryName(svc.Country))),
		widget.NewFormItem(lang.L("detail.category"), wrapped(categoryName)),
		widget.NewFormItem(lang.L("detail.processing_time"), wrapped(lang.N("services.days", svc.ProcessingDays, map[string]any{"Count": svc.ProcessingDays}))),
		widget.NewFormItem(lang.L("detail.procedure"), wrapped(fmt.Sprintf("%s — %s", svc.Procedure, lang.X("procedure."+svc.Procedure, svc.Procedure)))),
	)

	evidence := container.NewVBox()
	for _, e := range svc.Evidence {
		ask := newWrapButton(lang.L("detail.request_evidence"), theme.MailSendIcon(), func() { request(svc, e) })
		content := container.NewVBox()
		switch { // said when the person acts for the other kind of subject
		case e.ForCompany() && !forCompany:
			content.Add(wrapped(lang.L("detail.about_company")))
		case !e.ForCompany() && forCompany:
			content.Add(wrapped(lang.L("detail.about_person")))
		}
		if it, ok := status.held(e.Requirement); ok {
			// Once-only: the document is already in the wallet.
			have := wrapped(lang.L("detail.in_wallet", map[string]any{"Provider": it.Issuer(code), "Date": formatTime(it.DeliveredAt)}))
			have.Importance = widget.SuccessImportance
			content.Add(have)
		}
		req, asked := status.latest(e.Requirement)
		stateLine := func(key string) {
			content.Add(wrapped(lang.L(key, map[string]any{"Country": countryName(req.Country), "State": app.StateName(app.ShownState(&req))})))
		}
		open := func() *wrapButton {
			return newWrapButton(lang.L("detail.open_request"), theme.NavigateNextIcon(), func() { status.openRequest(req.ID) })
		}
		switch {
		case asked && app.StillOpen(&req):
			// Asked for already: the way on is that request, not another.
			stateLine("detail.under_way")
			b := open()
			b.SetImportance(widget.HighImportance)
			content.Add(buttons(b))
		case asked && app.EndedWithout(&req):
			// Its last request ended without it: said, beside asking again.
			stateLine("detail.last_ended")
			content.Add(newWrapRow(open(), ask))
		default:
			content.Add(buttons(ask))
		}
		evidence.Add(titledCard("", e.Name.In(code), content))
	}
	legal := wrapped(svc.LegalBasis.In(code))
	apply := applyAction(svc, request, status)

	body := container.NewVBox(
		title, desc, apply, facts,
		boldWrapped(lang.L("detail.evidence_needed")),
		wrapped(lang.L("detail.evidence_explained")),
		evidence,
		boldWrapped(lang.L("detail.legal_basis")),
		legal,
	)
	return container.NewVScroll(container.NewPadded(body))
}

// applyAction is the service page's main action: Apply starts the request
// of the first evidence the service needs that is neither in the wallet
// nor asked for; when all of it is in the wallet, the page says so
// instead.
func applyAction(svc catalogue.Service, request func(catalogue.Service, catalogue.Evidence), status evidenceStatus) fyne.CanvasObject {
	if len(svc.Evidence) == 0 {
		return container.NewVBox()
	}
	all := true
	for _, e := range svc.Evidence {
		_, held := status.held(e.Requirement)
		_, asked := status.underWay(e.Requirement)
		all = all && held
		if !held && !asked {
			b := newWrapButton(lang.L("detail.apply"), theme.ConfirmIcon(), func() { request(svc, e) })
			b.SetImportance(widget.HighImportance)
			return buttons(b)
		}
	}
	if !all { // the rest is asked for: its requests lead on
		return container.NewVBox()
	}
	ready := wrapped(lang.L("detail.apply_ready"))
	ready.Importance = widget.SuccessImportance
	return ready
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// boldWrapped is a bold heading that wraps.
func boldWrapped(text string) *widget.Label {
	l := wrapped(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}
