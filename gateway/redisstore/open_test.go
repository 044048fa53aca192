package redisstore

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/blibli/safelink/internal/redistest"
)

func TestOpenRedisConnects(t *testing.T) {
	srv := redistest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	setup, err := OpenRedis(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer setup.Close()
	if err := setup.Set(ctx, "where", "db3", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := setup.Do(ctx, "MOVE", "where", "3").Err(); err != nil {
		t.Fatal(err)
	}
	if err := setup.ConfigSet(ctx, "requirepass", "p@ss/w:rd").Err(); err != nil {
		t.Fatal(err)
	}

	password := url.PathEscape("p@ss/w:rd")
	for _, raw := range []string{
		"redis://:" + password + "@" + srv.Addr() + "/3",
		"redis://default:" + password + "@" + srv.Addr() + "?db=3",
		"unix://:" + password + "@" + srv.Socket() + "?db=3",
	} {
		c, err := OpenRedis(raw)
		if err != nil {
			t.Fatalf("OpenRedis: %v", err)
		}
		got, err := c.Get(ctx, "where").Result()
		c.Close()
		if err != nil || got != "db3" {
			t.Errorf("GET through %s: %q, %v; want db3", redactForLog(raw), got, err)
		}
	}

	wrong, err := OpenRedis("redis://:wrong@" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if err := wrong.Ping(ctx).Err(); err == nil {
		t.Error("a wrong password was accepted")
	}
}

// redactForLog keeps test failures free of the password, like the code.
func redactForLog(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the URL"
	}
	return u.Redacted()
}
