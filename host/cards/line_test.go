package cards

import (
	"context"
	"errors"
	"testing"
	"time"
)

// hasTurn reports whether p has the turn.
func hasTurn(p *place) bool {
	select {
	case <-p.turn:
		return true
	default:
		return false
	}
}

func TestTheLineHandsTheTurnOverInArrivalOrder(t *testing.T) {
	l := &line{max: 8}
	var places []*place
	for range 5 {
		p, err := l.join(true)
		if err != nil {
			t.Fatal(err)
		}
		places = append(places, p)
	}
	for i, p := range places {
		for j, q := range places[i:] {
			if hasTurn(q) != (j == 0) {
				t.Fatalf("when place %d should have the turn, place %d has it: %v", i, i+j, hasTurn(q))
			}
		}
		p.leave()
	}
	if l.busy || len(l.waiting) != 0 || l.users != 0 {
		t.Errorf("the line is not empty after every place left: %+v", l)
	}
}

func TestAWaiterWhoGivesUpLeavesTheLineWithoutTheTurn(t *testing.T) {
	l := &line{max: 8}
	first, _ := l.join(true)
	second, _ := l.join(true)
	third, _ := l.join(true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := second.wait(ctx, nil); !errors.Is(err, ErrTimeout) {
		t.Fatalf("wait = %v, want ErrTimeout", err)
	}
	first.leave()
	if !hasTurn(third) {
		t.Fatal("the turn did not pass over the place that left")
	}
	if l.users != 0 {
		t.Errorf("%d user places counted waiting, want 0", l.users)
	}
}

func TestAFullLineRefusesUsersButNotIdentification(t *testing.T) {
	l := &line{max: 1}
	running, _ := l.join(true)
	if _, err := l.join(true); err != nil {
		t.Fatalf("the first waiting user: %v", err)
	}
	if _, err := l.join(true); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("a second waiting user: %v, want ErrQueueFull", err)
	}
	if _, err := l.join(false); err != nil {
		t.Fatalf("identification: %v, want a place", err)
	}
	running.leave()
	running.leave() // a second leave changes nothing
	if l.users != 0 || len(l.waiting) != 1 {
		t.Errorf("after one leave: %d users waiting, %d places waiting; want 0 and 1", l.users, len(l.waiting))
	}
	l.close()
	if _, err := l.join(false); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v, want ErrClosed", err)
	}
}
