package provider

import (
	"html/template"
	"net/http"
)

// The HTML pages of the preview space.
var (
	signInPage = pageTemplate(`<h1>Evidence preview</h1>
<p>Sign in with your personal identifier to see the evidence requested from us. The preview can be seen once and expires {{.Expires}}.</p>
<form method="post" action="{{.Action}}"><label>Identifier <input name="subject" autocomplete="off" required></label>
<button type="submit">Show the evidence</button></form>`)
	viewPage = pageTemplate(`<h1>{{.V.Title}}</h1>
<p>{{.V.Requester}} asks {{.V.Provider}} for this evidence ({{.V.Format}}). It leaves us only if you approve.</p>
<table><tr><th>Field</th><th>Value</th><th>Source</th><th>Legal basis</th></tr>
{{range .V.Fields}}<tr><td>{{.Name}}</td><td>{{.Value}}</td><td>{{.Source}}</td><td>{{.LegalBasis}}</td></tr>
{{end}}</table>
<form method="post" action="{{.Action}}"><input type="hidden" name="subject" value="{{.Subject}}">
<button name="decision" value="approve">Approve</button> <button name="decision" value="refuse">Refuse</button></form>`)
	decidedPage = pageTemplate(`{{if .Approved}}<h1>Approved</h1><p>The evidence will be sent to the authority that asked for it.</p>{{else}}<h1>Refused</h1><p>The evidence will not be sent.</p>{{end}}`)
	errorPage   = pageTemplate(`<h1>Evidence preview</h1><p>{{.Text}}</p>`)
)

// pageTemplate wraps body in the common page frame.
func pageTemplate(body string) *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Evidence preview</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left}</style>
</head><body>` + body + `</body></html>`))
}

// page renders t with data.
func (p *Provider) page(w http.ResponseWriter, status int, t *template.Template, data any) {
	p.pageLeadingTo(w, status, t, data, "")
}

// pageLeadingTo is page whose forms may also lead to origin formsTo.
func (p *Provider) pageLeadingTo(w http.ResponseWriter, status int, t *template.Template, data any, formsTo string) {
	securityHeaders(w)
	w.Header().Set("Content-Security-Policy", contentPolicy(formsTo))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := t.Execute(w, data); err != nil {
		p.cfg.Logger.Error("provider: preview page", "err", err)
	}
}
