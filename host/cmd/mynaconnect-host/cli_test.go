package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestHelpExplainsWhatTheHostIsAndHowToInstallIt(t *testing.T) {
	out, err := exec.Command(hostBin, "--help").Output()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"native messaging", "My Number card", "make install", "docs/host-protocol.md", "--version", "chrome-extension://", "Firefox", "stdin"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("--help does not mention %q", want)
		}
	}
}

func TestVersionPrintsTheVersions(t *testing.T) {
	out, err := exec.Command(hostBin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "mynaconnect-host ") || !strings.Contains(string(out), "protocol 1") {
		t.Fatalf("--version = %q, %v", out, err)
	}
}

func TestAnUnknownFlagExitsWithStatus2(t *testing.T) {
	cmd := exec.Command(hostBin, "--bogus")
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "--help") {
		t.Fatalf("exit %d, output %q", cmd.ProcessState.ExitCode(), out)
	}
}

func TestClosingStdinEndsTheHostWithStatus0(t *testing.T) {
	// No pcscd needed: the host must exit promptly whatever PC/SC does.
	cmd := exec.Command(hostBin, "chrome-extension://abcdefghijklmnopabcdefghijklmnop/")
	cmd.Env = append(os.Environ(), "PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(3 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the host did not exit within 3 s of stdin closing")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("exit took %v after stdin closed", d)
	} else {
		t.Logf("exited %v after stdin closed", d)
	}
}

func TestTheCallerArgumentsAreLogged(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/"}, "extension abcdefghijklmnopabcdefghijklmnop"},
		{[]string{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "--parent-window=0"}, "extension abcdefghijklmnopabcdefghijklmnop"},
		{[]string{"/home/a/.mozilla/native-messaging-hosts/jp.mynaconnect.host.json", "mynaconnect@mynaconnect.jp"}, `Firefox for add-on "mynaconnect@mynaconnect.jp"`},
		{nil, "no caller argument"},
	}
	for _, tt := range tests {
		if got := caller(tt.args); !strings.Contains(got, tt.want) {
			t.Errorf("caller(%q) = %q, want it to contain %q", tt.args, got, tt.want)
		}
	}
}
