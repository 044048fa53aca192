package scanners_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/scanners"
)

func TestEmbeddedScanners(t *testing.T) {
	l, err := scanners.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	for ua, want := range map[string]string{
		"WhatsApp/2.23.20.0 A": "WhatsApp",
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)":                 "facebookexternalhit",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)":                                "Slackbot",
		"TelegramBot (like TwitterBot)":                                                             "TelegramBot",
		"Twitterbot/1.0":                                                                            "Twitterbot",
		"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)":                         "Discordbot",
		"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)":     "LinkedInBot",
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)":                  "Googlebot",
		"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b": "BingPreview",
	} {
		if got, ok := l.Match(ua); !ok || got != want {
			t.Errorf("%q: %q, %v; want %q", ua, got, ok, want)
		}
	}
	for _, person := range []string{
		"Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0]",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.20.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
		"",
	} {
		if got, ok := l.Match(person); ok {
			t.Errorf("a person's browser %q matches %q", person, got)
		}
	}
}

func TestParseRefusesBadPatterns(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"ab\n", "2 bytes"},
		{strings.Repeat("x", 101) + "\n", "101 bytes"},
		{"Bot\u00e9\n", "printable ASCII"},
		{"Tab\there\n", "printable ASCII"},
		{"WhatsApp\n# a comment\nwhatsapp\n", "line 1 already"},
		{strings.Repeat("pattern-x\n", 1) + func() string {
			var b strings.Builder
			for i := range scanners.MaxPatterns + 1 {
				b.WriteString("bot-" + strings.Repeat("a", i%50) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + "\n")
			}
			return b.String()
		}(), "more than 500 patterns"},
	} {
		_, err := scanners.Parse("scanners.txt", strings.NewReader(tc.file))
		var errs linefile.Errors
		if !errors.As(err, &errs) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "scanners.txt:") {
			t.Errorf("%.40q: %v, want an error naming the line about %s", tc.file, err, tc.want)
		}
	}
	l, err := scanners.Parse("scanners.txt", strings.NewReader("# comments only\n\n  Safe Links  # Microsoft\n"))
	if err != nil || l.Len() != 1 {
		t.Fatalf("%v, %v", l, err)
	}
	if got, ok := l.Match("Mozilla/5.0 SAFE LINKS checker"); !ok || got != "Safe Links" {
		t.Errorf("a pattern with a space inside: %q, %v", got, ok)
	}
}

// FuzzMatch checks Match against the plain way: lowercase both, search the
// first MaxUserAgent bytes.
func FuzzMatch(f *testing.F) {
	f.Add("WhatsApp/2.23", "whatsapp")
	f.Add("xxWHATSAPPxx", "WhatsApp")
	f.Add("Bing", "BingPreview")
	f.Add(strings.Repeat("a", scanners.MaxUserAgent-3)+"Bot", "abot")
	f.Add("\xffÄbot", "äbot")
	f.Fuzz(func(t *testing.T, ua, pattern string) {
		l, err := scanners.Parse("scanners.txt", strings.NewReader(pattern+"\n"))
		if err != nil {
			return
		}
		p := strings.TrimSpace(strings.SplitN(pattern, "#", 2)[0])
		head := ua[:min(len(ua), scanners.MaxUserAgent)]
		// A file of a blank or comment line holds no pattern, which
		// matches nothing.
		want := l.Len() > 0 && strings.Contains(asciiLower(head), asciiLower(p))
		if got, ok := l.Match(ua); ok != want || ok && got != p {
			t.Fatalf("Match(%q) with %q: %q, %v; want %v", ua, p, got, ok, want)
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
