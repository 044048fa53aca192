package redistest

import (
	"net"
	"testing"
)

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("fresh server: %v", err)
	}
	if conn, err := net.Dial("unix", s.Socket()); err != nil {
		t.Fatalf("unix socket: %v", err)
	} else {
		conn.Close()
	}
	s.Stop()
	if err := ping(s.Addr()); err == nil {
		t.Fatal("stopped server still answers PING")
	}
	s.Stop()
	s.Restart()
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("restarted server: %v", err)
	}
}

func TestServersAreIndependent(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.Addr() == b.Addr() || a.Socket() == b.Socket() {
		t.Fatalf("two servers share an address: %s %s", a.Addr(), b.Addr())
	}
}
