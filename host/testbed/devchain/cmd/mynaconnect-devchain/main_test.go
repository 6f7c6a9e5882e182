package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/chainconfig"
)

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		usage bool
	}{
		{[]string{"--fork", "prague", "--chain-id", "31337", "--addr", "127.0.0.1:0"}, false},
		{[]string{"--fork", "bogota"}, true},
		{[]string{"--chain-id", "0"}, true},
		{[]string{"--block-period", "-1s"}, true},
		{[]string{"extra"}, true},
	} {
		_, err := parseFlags(tt.args, io.Discard)
		if got := errors.As(err, new(usageError)); got != tt.usage {
			t.Errorf("%v: err %v, want usage error %v", tt.args, err, tt.usage)
		}
	}
	var help bytes.Buffer
	if _, err := parseFlags([]string{"--help"}, &help); !errors.Is(err, flag.ErrHelp) || !strings.Contains(help.String(), "EntryPoint v0.8") {
		t.Errorf("--help: %v\n%s", err, help.String())
	}
}

// The command prints a valid chain config for the chain it runs, then stops cleanly when interrupted.
func TestRunPrintsTheChainConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--fork", "prague"}, pw, io.Discard)
		pw.Close()
	}()
	// The config is one JSON document ending in "\n}\n".
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for !bytes.HasSuffix(out.Bytes(), []byte("\n}\n")) {
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("%v after %q", err, out.String())
		}
	}
	f, err := chainconfig.Parse(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Networks[0]; n.Dev == nil || n.Dev.Fork != "prague" || !strings.HasPrefix(n.RPCURL, "http://127.0.0.1:") {
		t.Errorf("config %+v", n)
	}
	cancel()
	go io.Copy(io.Discard, pr)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
