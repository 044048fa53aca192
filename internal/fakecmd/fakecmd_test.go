package fakecmd

import (
	"strings"
	"testing"
	"time"
)

var failures = map[string]int{"none": 0, "broken": 1}

func TestParse(t *testing.T) {
	f := NewFlags("fake", "127.0.0.1:1", "malware", failures)
	args := []string{"-threats", "t.txt", "-addr", "127.0.0.1:2", "-random", "5", "-random-type", "phishing", "-seed", "7", "-delay", "1s", "-fail", "broken"}
	if err := f.Parse(args); err != nil {
		t.Fatal(err)
	}
	if f.Threats != "t.txt" || f.Addr != "127.0.0.1:2" || f.Random != 5 || f.RandomType != "phishing" || f.Seed != 7 || f.Delay != time.Second || f.Failure != 1 {
		t.Errorf("Parse(%q) gave %+v", args, f)
	}
	f = NewFlags("fake", "127.0.0.1:1", "malware", failures)
	if err := f.Parse([]string{"-threats", "t.txt"}); err != nil || f.Addr != "127.0.0.1:1" || f.RandomType != "malware" || f.Failure != 0 {
		t.Errorf("defaults: %+v, %v", f, err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{nil, "-threats FILE is required"},
		{[]string{"-threats", "t.txt", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"-threats", "t.txt", "-fail", "timeout"}, `-fail "timeout" is not one of broken, none`},
		{[]string{"-threats", "t.txt", "-delay", "soon"}, `invalid value "soon" for flag -delay`},
	}
	for _, tt := range tests {
		err := NewFlags("fake", "127.0.0.1:1", "malware", failures).Parse(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
		}
	}
}

// server records what Start sets.
type server struct {
	delay   time.Duration
	failure int
	addr    string
}

func (s *server) SetDelay(d time.Duration) { s.delay = d }
func (s *server) SetFailure(f int)         { s.failure = f }
func (s *server) Start(addr string) error  { s.addr = addr; return nil }

func TestStart(t *testing.T) {
	f := NewFlags("fake", "127.0.0.1:1", "malware", failures)
	if err := f.Parse([]string{"-threats", "t.txt", "-delay", "2s", "-fail", "broken"}); err != nil {
		t.Fatal(err)
	}
	var s server
	if err := f.Start(&s); err != nil || s != (server{2 * time.Second, 1, "127.0.0.1:1"}) {
		t.Errorf("Start set %+v, %v", s, err)
	}
}
