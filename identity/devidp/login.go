package devidp

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/vienreiz/vienreiz/identity"
)

const (
	loginPath     = "/login"
	signedOutPath = "/signed-out"
)

// loginPage is the provider's sign-in page: pick a demo account and a
// level of assurance.
type loginPage struct {
	storage  *storage
	people   []Person
	callback func(context.Context, string) string
	log      *slog.Logger
}

type loginData struct {
	AuthRequestID string
	People        []Person
	Levels        []string
	Level         string
	Error         string
}

func (l *loginPage) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	a, err := l.storage.AuthRequestByID(r.Context(), id)
	if err != nil {
		l.render(w, http.StatusBadRequest, loginData{Error: "This sign-in has expired or is unknown; start again from the app."})
		return
	}
	l.render(w, http.StatusOK, l.data(id, a.(*authRequest).requestedLevel(), ""))
}

func (l *loginPage) submit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		l.render(w, http.StatusBadRequest, loginData{Error: "The form could not be read."})
		return
	}
	id, user, level := r.PostFormValue("authRequestID"), r.PostFormValue("username"), r.PostFormValue("level")
	if err := l.storage.completeSignIn(id, user, level); err != nil {
		l.render(w, http.StatusBadRequest, l.data(id, level, err.Error()))
		return
	}
	l.log.Info("development sign-in", "account", user, "level", level)
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
}

func (l *loginPage) signedOut(w http.ResponseWriter, _ *http.Request) {
	l.render(w, http.StatusOK, loginData{Error: ""})
}

func (l *loginPage) data(id, level, msg string) loginData {
	return loginData{
		AuthRequestID: id,
		People:        l.people,
		Levels:        []string{identity.LevelLow, identity.LevelSubstantial, identity.LevelHigh},
		Level:         level,
		Error:         msg,
	}
}

func (l *loginPage) render(w http.ResponseWriter, status int, d loginData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// form-action also governs the redirects after the form is sent: the
	// browser goes on to the app's redirect URI (a loopback listener on the
	// desktop, vienreiz:// on a phone), which must be allowed too.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* vienreiz:")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, d); err != nil {
		l.log.Warn("sign-in page", "err", err)
	}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in (development only) · Vienreiz</title>
<style>
body { font-family: sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }
.dev { background: #b00020; color: #fff; padding: .75rem; font-weight: bold; }
.error { border: 2px solid #b00020; padding: .5rem; }
label { display: block; margin: .4rem 0; }
button { font-size: 1.1rem; padding: .5rem 1.5rem; margin-top: 1rem; }
</style>
</head>
<body>
<p class="dev" role="alert" id="development-only">DEVELOPMENT ONLY: a demo identity provider with made-up people. It is refused in production.</p>
{{if .Error}}<p class="error" role="alert" id="error">{{.Error}}</p>{{end}}
{{if .AuthRequestID}}
<h1>Sign in to Vienreiz</h1>
<form method="post" action="login">
<input type="hidden" name="authRequestID" value="{{.AuthRequestID}}">
<fieldset>
<legend>Demo account</legend>
{{range $i, $p := .People}}<label><input type="radio" name="username" value="{{$p.Username}}" id="user-{{$p.Username}}"{{if eq $i 0}} checked{{end}}>
{{$p.GivenName}} {{$p.FamilyName}}: {{$p.About}} ({{$p.Identifier}}, born {{$p.DateOfBirth}})</label>
{{end}}</fieldset>
<label for="level">Level of assurance</label>
<select name="level" id="level">{{range .Levels}}<option{{if eq . $.Level}} selected{{end}}>{{.}}</option>{{end}}</select>
<p><button type="submit" id="sign-in">Sign in</button></p>
</form>
{{else if not .Error}}<h1>You are signed out</h1><p>You can close this page.</p>{{end}}
</body>
</html>
`))
