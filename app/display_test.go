package app

import "testing"

type mapPrefs map[string]string

func (p mapPrefs) String(k string) string { return p[k] }
func (p mapPrefs) SetString(k, v string)  { p[k] = v }

// TestDisplaySettingsAreKeptAcrossRestarts (issue 15): the text size and
// high contrast chosen are remembered; the next start (a new Display over
// the same preferences) has them; sizes outside 100–200 % are refused and
// an unusable remembered value falls back to 100 %.
func TestDisplaySettingsAreKeptAcrossRestarts(t *testing.T) {
	prefs := mapPrefs{}
	d := NewDisplay(prefs)
	if d.TextSize() != 100 || d.HighContrast() {
		t.Fatalf("first start: %d %%, contrast %v; want 100 %%, off", d.TextSize(), d.HighContrast())
	}
	changes := 0
	d.OnChange(func() { changes++ })
	if err := d.SetTextSize(200); err != nil {
		t.Fatal(err)
	}
	d.SetHighContrast(true)
	if err := d.SetTextSize(250); err == nil {
		t.Error("250 % accepted")
	}
	if err := d.SetTextSize(90); err == nil {
		t.Error("90 % accepted")
	}
	if changes != 2 {
		t.Errorf("%d change notices, want 2", changes)
	}
	again := NewDisplay(prefs)
	if again.TextSize() != 200 || !again.HighContrast() || again.TextScale() != 2 {
		t.Fatalf("after a restart: %d %%, contrast %v", again.TextSize(), again.HighContrast())
	}
	if d := NewDisplay(mapPrefs{"text_size": "900"}); d.TextSize() != 100 {
		t.Errorf("remembered 900 %% gave %d %%", d.TextSize())
	}
}
