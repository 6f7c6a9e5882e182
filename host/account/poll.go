package account

import (
	"context"
	"time"
)

// firstPoll is the first wait for a receipt: a dev chain mines at once, so the answer is usually there after
// one short wait; a real chain takes seconds, and the waits double up to the submitter's PollInterval so
// that a public endpoint is not asked too often.
const firstPoll = 10 * time.Millisecond

// poller spaces out receipt checks: firstPoll, then twice as long each time, up to max.
type poller struct {
	next, max time.Duration
}

func newPoller(max time.Duration) *poller {
	return &poller{next: min(firstPoll, max), max: max}
}

// advance returns how long to wait before the next check.
func (p *poller) advance() time.Duration {
	d := p.next
	p.next = min(2*p.next, p.max)
	return d
}

// wait sleeps until the next check, or returns ctx's error.
func (p *poller) wait(ctx context.Context) error {
	t := time.NewTimer(p.advance())
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
