package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/catalogue"
)

// findAbove is how many values a list holds before it offers to find in
// them: about a phone screen's worth of rows.
const findAbove = 8

// listFinder narrows a list of values to those whose shown text holds
// every word typed in its entry, diacritics optional ("berzins" finds
// "Bērziņš"): a long-time citizen's hundreds of requests and documents.
type listFinder struct {
	// Entry is where the words are typed; it shows only while the list
	// holds more than findAbove values.
	Entry *widget.Entry
	// Shown holds the values found, in their order; all of them while
	// nothing is typed.
	Shown binding.UntypedList
	// None tells that words were typed and no value has them.
	None *widget.Label

	all  binding.UntypedList
	text func(v any) string
	// finding is set while find runs, again when it was called meanwhile
	// (a row's text changed while it was being read or drawn).
	finding, again bool
}

// newListFinder finds in the values of all, read again each time loads
// changes (app.Requests.Loads, app.Wallet.Loads); text is what a value's
// row shows. placeholder is the entry's translation key.
func newListFinder(s *app.Session, all binding.UntypedList, loads binding.Int, placeholder string, text func(v any) string) *listFinder {
	f := &listFinder{Entry: widget.NewEntry(), Shown: binding.NewUntypedList(), None: widget.NewLabel(""), all: all, text: text}
	f.Entry.SetPlaceHolder(lang.L(placeholder))
	f.Entry.OnChanged = func(string) { f.find() }
	f.None.Wrapping = fyne.TextWrapWord
	f.None.Hide()
	f.Entry.Hide()
	listen(s, loads, f.find)
	return f
}

// find shows the values that have every word typed. Called again while
// it runs, it runs once more when done instead of within itself.
func (f *listFinder) find() {
	if f.finding {
		f.again = true
		return
	}
	f.finding = true
	defer func() { f.finding = false }()
	for again := true; again; again = f.again {
		f.again = false
		f.findOnce()
	}
}

// findOnce is one pass of find.
func (f *listFinder) findOnce() {
	values, _ := f.all.Get()
	if len(values) > findAbove || f.Entry.Text != "" {
		f.Entry.Show()
	} else {
		f.Entry.Hide()
	}
	words := catalogue.Query{Text: f.Entry.Text}.Words()
	shown := values
	if len(words) > 0 {
		shown = make([]any, 0, len(values))
		for _, v := range values {
			if catalogue.ContainsAll(catalogue.Fold(f.text(v)), words) {
				shown = append(shown, v)
			}
		}
	}
	_ = f.Shown.Set(shown)
	if len(words) > 0 && len(shown) == 0 {
		f.None.SetText(lang.L("find.none", map[string]any{"Words": f.Entry.Text}))
		f.None.Show()
	} else {
		f.None.Hide()
	}
}
