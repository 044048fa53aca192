package redisstore

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/rules"
)

// Timing of the rule change watch.
const (
	// pingAfter is how long a quiet subscription waits before checking its
	// connection with a PING.
	pingAfter = 15 * time.Second
	// minBackoff and maxBackoff bound the wait between two failed attempts
	// to receive while Redis is unreachable.
	minBackoff = 100 * time.Millisecond
	maxBackoff = time.Second
)

// Watch implements rules.Store with a pub/sub subscription to the change
// channel, sharded in a Cluster so that it follows the rules' slot. Each
// time the subscription is confirmed, at the start and after every
// reconnect, it delivers a Resync: changes published while it was away are
// lost to pub/sub, and the syncer reads them from the change log (Since)
// or, when the log cannot tell, in full. A subscription quiet
// for pingAfter is checked with a PING; when no answer comes within another
// pingAfter, it is replaced.
func (s *Rules) Watch(ctx context.Context) <-chan rules.Notice {
	out := make(chan rules.Notice, 64)
	go func() {
		defer close(out)
		for ctx.Err() == nil {
			s.subscribe(ctx, out)
		}
	}()
	return out
}

// subscribe runs one subscription until ctx ends or its connection stops
// answering.
func (s *Rules) subscribe(ctx context.Context, out chan<- rules.Notice) {
	ps, confirmed := s.client.Subscribe(ctx, s.channel), "subscribe"
	if s.sharded {
		ps, confirmed = s.client.SSubscribe(ctx, s.channel), "ssubscribe"
	}
	defer ps.Close()
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()

	send := func(n rules.Notice) bool {
		select {
		case out <- n:
			return true
		case <-ctx.Done():
			return false
		}
	}
	backoff := minBackoff
	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, pingAfter)
		if ctx.Err() != nil {
			return
		}
		var nerr net.Error
		switch {
		case errors.As(err, &nerr) && nerr.Timeout():
			if pinged {
				send(rules.Notice{Err: errors.New("rule change subscription stopped answering; resubscribing")})
				return
			}
			pinged = true
			_ = ps.Ping(ctx)
			continue
		case err != nil:
			if !send(rules.Notice{Err: err}) {
				return
			}
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return
			}
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		backoff, pinged = minBackoff, false
		var n rules.Notice
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind != confirmed {
				continue
			}
			n.Resync = true
		case *redis.Message:
			c, err := decodeChange(m.Payload)
			if err != nil {
				s.log.Warn("undecodable rule change; resyncing", "error", err)
				n.Resync = true
			} else {
				n.Change = &c
			}
		default: // a pong
			continue
		}
		if !send(n) {
			return
		}
	}
}
