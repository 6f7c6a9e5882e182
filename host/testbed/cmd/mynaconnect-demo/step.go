package main

import (
	"fmt"
	"io"
	"time"
)

// stepper prints numbered steps with their duration.
type stepper struct {
	out   io.Writer
	n     int
	start time.Time
}

func (s *stepper) begin(what string) {
	s.n++
	s.start = time.Now()
	fmt.Fprintf(s.out, "%d. %s\n", s.n, what)
}

func (s *stepper) done(detail string) {
	ms := float64(time.Since(s.start).Microseconds()) / 1000
	if detail == "" {
		fmt.Fprintf(s.out, "   ok (%.1f ms)\n", ms)
		return
	}
	fmt.Fprintf(s.out, "   ok: %s (%.1f ms)\n", detail, ms)
}
