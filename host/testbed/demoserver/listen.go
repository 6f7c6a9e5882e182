package demoserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Listen binds addr, which must name a loopback host ("127.0.0.1:0",
// "localhost:8443", "[::1]:0"; port 0 picks a free one), and returns the
// listener and the origin a browser reaches it at, for Config.Origin.
//
// "localhost" is bound on 127.0.0.1, where Chromium's resolver tries it,
// and keeps its name in the origin: the demo uses it as a second site, a
// different origin (and site) from 127.0.0.1 on the same machine.
func Listen(addr string) (net.Listener, string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", fmt.Errorf("demoserver: listen address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return nil, "", fmt.Errorf("demoserver: listen address %q: the demo site serves loopback hosts only (localhost, 127.0.0.1, ::1)", addr)
	}
	bind := host
	if host == "localhost" {
		bind = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, port))
	if err != nil {
		return nil, "", fmt.Errorf("demoserver: %w", err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	origin := "http://" + net.JoinHostPort(host, strconv.Itoa(p))
	if p == 80 {
		origin = "http://" + host
		if host == "::1" {
			origin = "http://[::1]"
		}
	}
	return ln, origin, nil
}

// Start listens on addr (see Listen), sets c.Origin to the origin it got,
// and serves the site in the background until ctx ends or Close is called.
// Server.Origin tells where it is.
func Start(ctx context.Context, addr string, c Config) (*Server, error) {
	ln, origin, err := Listen(addr)
	if err != nil {
		return nil, err
	}
	c.Origin = origin
	s, err := New(c)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serving", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}
