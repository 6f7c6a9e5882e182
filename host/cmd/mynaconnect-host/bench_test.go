package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/nativemsg"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// BenchmarkAuthenticatePCSC measures a login through the host binary, pcscd,
// vpcd and the virtual card, the PIN given, with the certificate cached as
// after a consent sheet. It reports the APDUs the card answered per login.
func BenchmarkAuthenticatePCSC(b *testing.B) {
	d := pcsctest.StartDaemon(b)
	h := startHost(b)
	h.Hello()
	card := vcardtest.NewCard(b, nil)
	plug(b, d, 0, card)
	h.WaitState(d.ReaderName(0), "mynumber")
	h.OK("readAuthCertificate", nil, nil)
	params := authParams("1234")
	card.ResetLog()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		h.OK("authenticate", params, nil)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(len(card.Log()))/float64(b.N), "APDUs/op")
}

// BenchmarkHandshake measures from starting the host process to reading its
// answer to hello: what the extension waits for after connectNative.
func BenchmarkHandshake(b *testing.B) {
	hello := []byte(`{"id":1,"method":"hello","params":{"protocol":1,"extensionVersion":"0.1.0"}}`)
	var total time.Duration
	for range b.N {
		d, err := handshake(hello)
		if err != nil {
			b.Fatal(err)
		}
		total += d
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/op")
}

// handshake starts the host, says hello and returns how long the answer
// took; the host is then told to exit by closing stdin.
func handshake(hello []byte) (time.Duration, error) {
	cmd := exec.Command(hostBin, "chrome-extension://abcdefghijklmnopabcdefghijklmnop/")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer cmd.Wait()
	defer stdin.Close()
	w := nativemsg.NewWriter(stdin, 0)
	if err := w.WriteMessage(hello); err != nil {
		return 0, err
	}
	msg, err := nativemsg.NewReader(stdout, nativemsg.DefaultMaxOutbound).ReadMessage()
	if err != nil {
		return 0, err
	}
	took := time.Since(start)
	if !strings.Contains(string(msg), `"hostVersion"`) {
		return 0, fmt.Errorf("hello answered %s", msg)
	}
	return took, nil
}

func TestHandshakeLatency(t *testing.T) {
	hello := []byte(`{"id":1,"method":"hello","params":{"protocol":1,"extensionVersion":"0.1.0"}}`)
	handshake(hello) // warm the page cache
	best := time.Hour
	for range 5 {
		d, err := handshake(hello)
		if err != nil {
			t.Fatal(err)
		}
		best = min(best, d)
	}
	t.Logf("process start to hello answered: %v (best of 5)", best)
	if best > 100*time.Millisecond { // target 30 ms; the bound leaves room for a loaded CI machine
		t.Errorf("handshake took %v", best)
	}
}

// TestIdleRSS measures the resident memory of a host that said hello, listed
// the readers through pcscd and then sat idle, as it does most of its life.
func TestIdleRSS(t *testing.T) {
	d, h := ready(t)
	plug(t, d, 0, vcardtest.NewCard(t, nil))
	h.WaitState(d.ReaderName(0), "mynumber")
	h.OK("authenticate", authParams("1234"), nil)
	time.Sleep(time.Second)
	rss, err := vmRSS(h.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("idle RSS after a login: %.1f MiB", float64(rss)/(1<<20))
	if rss > 20<<20 {
		t.Errorf("idle RSS %.1f MiB, target at most 20 MiB", float64(rss)/(1<<20))
	}
}

// vmRSS reads a process's resident set size from /proc.
func vmRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
