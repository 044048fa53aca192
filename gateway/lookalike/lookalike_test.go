package lookalike

import "testing"

func TestImitates(t *testing.T) {
	d := New([]string{"blibli.com", "seller.blibli.com", "tix.com"})
	tests := []struct {
		host string
		want string
	}{
		{"blibli.net", "blibli.com"},
		{"blibli.co.id", "blibli.com"},
		{"bl1bli.com", "blibli.com"},
		{"b1ibli.com", "blibli.com"},
		{"bliblii.com", "blibli.com"},
		{"bllbli.shop", "blibli.com"},
		{"biibli.com", "blibli.com"},
		{"blbli.com", "blibli.com"},
		{"bilbli.com", "blibli.com"},
		{"blibli-promo.example", "blibli.com"},
		{"promo-blibli.example", "blibli.com"},
		{"bliblipromo.example", "blibli.com"},
		{"blibli.com.evil.example", "blibli.com"},
		{"www.blibli.com-login.example", "blibli.com"},
		{"login.bl1bli-secure.example", "blibli.com"},
		{"xn--blbli-0sa.com", "blibli.com"},  // blíbli.com
		{"xn--lbli-f4d1t.com", "blibli.com"}, // Cyrillic в and і: вlіbli
		{"xn--blibl-r2e.com", "blibli.com"},  // Cyrillic і at the end
		{"bli-bli.example", "blibli.com"},
		{"tox.example", ""},              // brands shorter than five are not checked by distance…
		{"tix-promo.example", "tix.com"}, // …but still found inside a name
		{"tokopedia.com", ""},
		{"google.com", ""},
		{"public.example", ""},
		{"library.example", ""},
		{"example.com", ""},
		{"b.example", ""},
	}
	for _, tt := range tests {
		got, ok := d.Imitates(tt.host)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Imitates(%q) = %q, %v; want %q", tt.host, got, ok, tt.want)
		}
	}
}

func TestSkeleton(t *testing.T) {
	tests := map[string]string{
		"blibli":  "bllbll",
		"bl1bl1":  "bllbll",
		"blíblí":  "bllbll",
		"вlіbli":  "bllbll",
		"rnodern": "modem",
		"vvallet": "wallet",
		"ВLІBLІ":  "bllbll",
		"ｂｌｉｂｌｉ":  "bllbll",
	}
	for in, want := range tests {
		if got := skeleton(in); got != want {
			t.Errorf("skeleton(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithinDistance(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want bool
	}{
		{"blibli", "blibli", 0, true},
		{"blibi", "blibli", 1, true},
		{"bliblii", "blibli", 1, true},
		{"blobli", "blibli", 1, true},
		{"bl", "blibli", 2, false},
		{"xxxxxx", "blibli", 2, false},
		{"bxibxi", "blibli", 2, true},
		{"", "", 0, true},
		{"ü", "u", 1, true},
	}
	for _, tt := range tests {
		if got := withinDistance(tt.a, tt.b, tt.k); got != tt.want {
			t.Errorf("withinDistance(%q, %q, %d) = %v", tt.a, tt.b, tt.k, got)
		}
	}
}
