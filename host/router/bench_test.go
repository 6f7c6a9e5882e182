package router

import (
	"testing"
	"time"
)

// BenchmarkAuthenticateVirtual measures a login through the whole request
// path (framing, decoding, queue, card layer, token) on the in-process
// virtual card, with the certificate cached, as after a consent sheet.
func BenchmarkAuthenticateVirtual(b *testing.B) {
	h := newHarness(b, options{})
	h.hello()
	c := newCard(b, nil)
	h.backend.Insert(reader0, c)
	h.waitState(reader0, "mynumber")
	h.ok("readAuthCertificate", nil, nil)
	params := authParams("1234")
	c.ResetLog()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		h.ok("authenticate", params, nil)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(c.Log()))/float64(b.N), "APDUs/op")
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
}
