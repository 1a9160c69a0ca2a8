package clocale

import "testing"

func TestNamesNoLanguage(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"LANG": "C.UTF-8"}, true},
		{map[string]string{"LANG": "POSIX.utf8"}, true},
		{map[string]string{"LANG": "C"}, false},
		{map[string]string{"LANG": "lv_LV.UTF-8"}, false},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "lv_LV.UTF-8"}, true},
		{map[string]string{"LC_MESSAGES": "en_US.UTF-8", "LANG": "C.UTF-8"}, false},
		{map[string]string{}, false},
	} {
		if got := NamesNoLanguage(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.env, got, tc.want)
		}
	}
}
