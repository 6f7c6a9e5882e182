// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package publicsuffix is the lookup half of golang.org/x/net/publicsuffix,
// with the same table, for the WebAssembly consent sheet.
//
// The upstream package declares a net/http/cookiejar.PublicSuffixList, and
// that one import pulls net/http, crypto/tls and crypto/x509 into the module:
// 1.9 MB of WebAssembly grows to 4.8 MB. This copy keeps only the lookup.
// table.go is x/net's table for the version in go.mod, its embedded files
// written out as string literals by gen.go (`go generate`);
// TestMatchesUpstream fails when the two drift apart.
//
// The PSL data is publicsuffix.org's list (Mozilla Public License 2.0), as
// distributed by golang.org/x/net.
package publicsuffix

//go:generate go run gen.go

import "strings"

// Version names the publicsuffix.org revision the table was built from.
const Version = version

// PublicSuffix returns the public suffix of domain, a lower-case ASCII
// (punycode) host name without a trailing dot. icann reports whether the
// suffix is managed by ICANN rather than privately (like "github.io").
// Unlike upstream it does not special-case IP addresses: callers never pass
// them.
func PublicSuffix(domain string) (publicSuffix string, icann bool) {
	lo, hi := uint32(0), uint32(numTLD)
	s, suffix, icannNode, wildcard := domain, len(domain), false, false
loop:
	for {
		dot := strings.LastIndexByte(s, '.')
		if wildcard {
			icann = icannNode
			suffix = 1 + dot
		}
		if lo == hi {
			break
		}
		f := find(s[1+dot:], lo, hi)
		if f == notFound {
			break
		}

		u := uint32(nodes.get(f) >> (nodesBitsTextOffset + nodesBitsTextLength))
		icannNode = u&(1<<nodesBitsICANN-1) != 0
		u >>= nodesBitsICANN
		u = children.get(u & (1<<nodesBitsChildren - 1))
		lo = u & (1<<childrenBitsLo - 1)
		u >>= childrenBitsLo
		hi = u & (1<<childrenBitsHi - 1)
		u >>= childrenBitsHi
		switch u & (1<<childrenBitsNodeType - 1) {
		case nodeTypeNormal:
			suffix = 1 + dot
		case nodeTypeException:
			suffix = 1 + len(s)
			break loop
		}
		u >>= childrenBitsNodeType
		wildcard = u&(1<<childrenBitsWildcard-1) != 0
		if !wildcard {
			icann = icannNode
		}

		if dot == -1 {
			break
		}
		s = s[:dot]
	}
	if suffix == len(domain) {
		// If no rules match, the prevailing rule is "*".
		return domain[1+strings.LastIndexByte(domain, '.'):], icann
	}
	return domain[suffix:], icann
}

const notFound uint32 = 1<<32 - 1

// find returns the index of the node in the range [lo, hi) whose label equals
// label, or notFound if there is no such node. The range is assumed to be in
// strictly increasing node label order.
func find(label string, lo, hi uint32) uint32 {
	for lo < hi {
		mid := lo + (hi-lo)/2
		s := nodeLabel(mid)
		if s < label {
			lo = mid + 1
		} else if s == label {
			return mid
		} else {
			hi = mid
		}
	}
	return notFound
}

// nodeLabel returns the label for the i'th node.
func nodeLabel(i uint32) string {
	x := nodes.get(i)
	length := x & (1<<nodesBitsTextLength - 1)
	x >>= nodesBitsTextLength
	offset := x & (1<<nodesBitsTextOffset - 1)
	return text[offset : offset+length]
}

// EffectiveTLDPlusOne returns the public suffix of domain plus one more label
// (the registrable domain: "golang.org" for "foo.bar.golang.org"). ok is
// false when there is none: the domain is itself a public suffix, or it has
// an empty label. Upstream returns an error built with fmt for these cases;
// the caller here only needs to know that there is no registrable domain.
func EffectiveTLDPlusOne(domain string) (etldPlusOne string, ok bool) {
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", false
	}
	suffix, _ := PublicSuffix(domain)
	if len(domain) <= len(suffix) {
		return "", false
	}
	i := len(domain) - len(suffix) - 1
	if domain[i] != '.' {
		return "", false
	}
	return domain[1+strings.LastIndexByte(domain[:i], '.'):], true
}

type uint32String string

func (u uint32String) get(i uint32) uint32 {
	off := i * 4
	u = u[off:] // help the compiler reduce bounds checks
	return uint32(u[3]) |
		uint32(u[2])<<8 |
		uint32(u[1])<<16 |
		uint32(u[0])<<24
}

type uint40String string

func (u uint40String) get(i uint32) uint64 {
	off := uint64(i * (nodesBits / 8))
	u = u[off:] // help the compiler reduce bounds checks
	return uint64(u[4]) |
		uint64(u[3])<<8 |
		uint64(u[2])<<16 |
		uint64(u[1])<<24 |
		uint64(u[0])<<32
}
