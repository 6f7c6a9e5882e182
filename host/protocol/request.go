package protocol

import (
	"encoding/json"
	"reflect"
)

// Request is a request envelope: {"id": 1, "method": "...", "params": {...}}.
type Request struct {
	// ID is chosen by the extension, unique among its pending requests,
	// and echoed in the response.
	ID uint64
	// Method names the operation.
	Method string
	// Params is the params object, nil when the request has none. It is a
	// slice of the message, valid until the message is cleared.
	Params []byte
}

// Limits on request strings that are not checked elsewhere.
const (
	maxMethodLen     = 64
	maxVersionLen    = 64
	maxReaderNameLen = 256
)

// ParseRequest decodes a request envelope from a message that is valid JSON.
// On failure, idKnown says whether the returned request's ID could still be
// read, so that the error can be answered to that id rather than to null.
// The method is not checked against Methods here.
func ParseRequest(msg []byte) (req Request, idKnown bool, err *Error) {
	ms, err := members(msg, "")
	if err != nil {
		return Request{}, false, err
	}
	// The id first, whatever its position, so that every later error can
	// be answered to it.
	for _, m := range ms {
		if m.name == "id" {
			if e := uintInto(&req.ID)("id", m.value); e != nil {
				return Request{}, false, e
			}
			idKnown = true
		}
	}
	var w struct {
		ID     uint64 `wire:"id,required"`
		Method string `wire:"method,required,max=maxMethodLen"`
		Params []byte `wire:"params,object"`
	}
	if _, err := decodeMembersInto(ms, "", reflect.ValueOf(&w).Elem()); err != nil {
		return req, idKnown, err
	}
	req.Method, req.Params = w.Method, w.Params
	return req, true, nil
}

// RecoverTrailing handles a message that is not JSON because something
// follows a complete request object: it parses the object alone and, when
// its id reads, returns the id and the BAD_REQUEST to answer it with.
// Otherwise ok is false and the caller answers to id null.
func RecoverTrailing(msg []byte) (id uint64, perr *Error, ok bool) {
	i := skipSpace(msg, 0)
	if i >= len(msg) || msg[i] != '{' {
		return 0, nil, false
	}
	end := skipValue(msg, i)
	if end >= len(msg) || skipSpace(msg, end) == len(msg) || !json.Valid(msg[i:end]) {
		return 0, nil, false
	}
	req, idKnown, _ := ParseRequest(msg[i:end])
	if !idKnown {
		return 0, nil, false
	}
	return req.ID, badField("", "data after the request object"), true
}

// PeekID reads the id of a request from the first bytes of a message that
// was too large to decode, when id is the object's first member (the
// extension always sends it first). ok is false otherwise.
func PeekID(prefix []byte) (id uint64, ok bool) {
	i := skipSpace(prefix, 0)
	if i >= len(prefix) || prefix[i] != '{' {
		return 0, false
	}
	i = skipSpace(prefix, i+1)
	const key = `"id"`
	if len(prefix)-i < len(key) || string(prefix[i:i+len(key)]) != key {
		return 0, false
	}
	i = skipSpace(prefix, i+len(key))
	if i >= len(prefix) || prefix[i] != ':' {
		return 0, false
	}
	i = skipSpace(prefix, i+1)
	end := i
	for end < len(prefix) && prefix[end] >= '0' && prefix[end] <= '9' {
		end++
	}
	if end == i || end == len(prefix) { // no digits, or maybe cut short
		return 0, false
	}
	switch prefix[end] {
	case ',', '}', ' ', '\t', '\n', '\r':
	default:
		return 0, false
	}
	if uintInto(&id)("id", prefix[i:end]) != nil {
		return 0, false
	}
	return id, true
}
