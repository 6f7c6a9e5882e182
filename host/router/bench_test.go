package router

import (
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// BenchmarkAuthenticateVirtual measures a login through the whole request
// path (framing, decoding, queue, card layer, token) on the in-process
// virtual card, with the certificate cached, as after a consent sheet.
func BenchmarkAuthenticateVirtual(b *testing.B) {
	h := newHarness(b, options{})
	h.Hello()
	c := vcardtest.NewCard(b, nil)
	h.backend.Insert(reader0, c)
	h.WaitState(reader0, "mynumber")
	h.OK("readAuthCertificate", nil, nil)
	params := authParams("1234")
	c.ResetLog()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		h.OK("authenticate", params, nil)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(c.Log()))/float64(b.N), "APDUs/op")
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkAuthenticateColdVirtual measures the APDUs of a login with
// nothing in the host's memory but the identification made on insertion:
// each round re-inserts the card, which drops the cached certificate.
func BenchmarkAuthenticateColdVirtual(b *testing.B) {
	h := newHarness(b, options{})
	h.Hello()
	c := vcardtest.NewCard(b, nil)
	params := authParams("1234")
	apdus := 0
	for range b.N {
		b.StopTimer()
		h.backend.Insert(reader0, c)
		h.WaitState(reader0, "mynumber")
		c.ResetLog()
		b.StartTimer()
		h.OK("authenticate", params, nil)
		b.StopTimer()
		apdus += len(c.Log())
		h.backend.Remove(reader0)
		h.WaitState(reader0, "empty")
	}
	b.ReportMetric(float64(apdus)/float64(b.N), "APDUs/op")
}
