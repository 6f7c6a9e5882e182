package account

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPollerStartsShortAndDoublesUpToItsLongestWait(t *testing.T) {
	tests := []struct {
		max  time.Duration
		want []time.Duration
	}{
		{500 * time.Millisecond, []time.Duration{10, 20, 40, 80, 160, 320, 500, 500}},
		{time.Second, []time.Duration{10, 20, 40, 80, 160, 320, 640, 1000}},
		{5 * time.Millisecond, []time.Duration{5, 5}},
	}
	for _, tt := range tests {
		p := newPoller(tt.max)
		for i, w := range tt.want {
			if got := p.advance(); got != w*time.Millisecond {
				t.Errorf("max %v: wait %d is %v, want %v", tt.max, i, got, w*time.Millisecond)
			}
		}
	}
}

func TestPollerWaitEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := newPoller(time.Hour).wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait on a cancelled context: %v", err)
	}
}
