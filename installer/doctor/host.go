package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mynaconnect/mynaconnect/host/failure"
	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/testbed/hostclient"
)

// checkHosts runs each host binary as a browser would and says hello with
// the extension's protocol version and version.
func checkHosts(ctx context.Context, cfg Config, hosts []hostRef) []Finding {
	var out []Finding
	for _, h := range hosts {
		out = append(out, checkHost(ctx, cfg, h))
	}
	return out
}

func checkHost(ctx context.Context, cfg Config, h hostRef) Finding {
	subject := h.path
	var stderr bytes.Buffer
	c, err := hostclient.Start(h.path, &stderr, h.args...)
	if err != nil {
		return finding(CodeHostNotWorking, subject, err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.HostTimeout)
	defer cancel()
	res, err := c.Hello(ctx, cfg.ExtensionVersion)
	// Close waits for the host to exit, and so for its stderr to be
	// copied: the buffer is read only after it.
	closeErr := c.Close(5 * time.Second)
	var perr *protocol.Error
	switch {
	case errors.As(err, &perr) && perr.Code == failure.VersionMismatch:
		return finding(CodeVersionMismatch, subject,
			fmt.Sprintf("hello(protocol %d): %v; the host speaks %v", protocol.Version, perr, perr.SupportedProtocols),
			orUnknown(perr.HostVersion), cfg.ExtensionVersion)
	case err != nil:
		return finding(CodeHostNotWorking, subject, fmt.Sprintf("hello: %v; host stderr: %s", err, tail(stderr.String())))
	case res.Protocol != protocol.Version:
		return finding(CodeVersionMismatch, subject, fmt.Sprintf("hello answered protocol %d", res.Protocol),
			orUnknown(res.HostVersion), cfg.ExtensionVersion)
	case closeErr != nil:
		// It answered, but did not exit when its input closed: browsers
		// would pile up host processes.
		return finding(CodeHostNotWorking, subject, closeErr.Error())
	}
	return finding(CodeHostOK, subject, "used by "+strings.Join(h.browsers, ", "), res.HostVersion, cfg.ExtensionVersion)
}

func orUnknown(v string) string {
	if v == "" {
		return "?"
	}
	return v
}

// tail is the end of a host's log, enough to say why it failed.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 600 {
		s = "..." + s[len(s)-600:]
	}
	if s == "" {
		return "(nothing)"
	}
	return s
}
