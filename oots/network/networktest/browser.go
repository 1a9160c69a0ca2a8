package networktest

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Browser plays a citizen's browser in a provider's preview space (the
// HTML pages of oots/provider): it opens previewURL, signs in as subject,
// looks at the evidence and takes decision ("approve" or "refuse"),
// following redirects. It returns the address the browser ended at (the
// requester's return URL when the preview URL named one) and the pages it
// saw.
func Browser(c *http.Client, previewURL, subject, decision string) (string, []string, error) {
	var pages []string
	page, at, err := browse(c, previewURL, nil)
	if err != nil {
		return "", nil, err
	}
	pages = append(pages, page)
	for _, form := range []url.Values{{"subject": {subject}}, {"subject": {subject}, "decision": {decision}}} {
		action, err := formAction(page)
		if err != nil {
			return at, pages, err
		}
		next, err := resolve(at, action)
		if err != nil {
			return at, pages, err
		}
		if page, at, err = browse(c, next, form); err != nil {
			return at, pages, err
		}
		pages = append(pages, page)
	}
	return at, pages, nil
}

// browse gets u, or posts form to it, and returns the page and where the
// browser ended after redirects.
func browse(c *http.Client, u string, form url.Values) (string, string, error) {
	var resp *http.Response
	var err error
	if form == nil {
		resp, err = c.Get(u)
	} else {
		resp, err = c.PostForm(u, form)
	}
	if err != nil {
		return "", u, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", u, err
	}
	if resp.StatusCode != http.StatusOK {
		return string(b), resp.Request.URL.String(), fmt.Errorf("%s: %d %.300s", u, resp.StatusCode, b)
	}
	return string(b), resp.Request.URL.String(), nil
}

// formAction is the action of the page's first form.
func formAction(page string) (string, error) {
	_, rest, ok := strings.Cut(page, `<form method="post" action="`)
	if !ok {
		return "", fmt.Errorf("no form on the page %.300q", page)
	}
	action, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(action), nil
}

func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := b.Parse(ref)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}
