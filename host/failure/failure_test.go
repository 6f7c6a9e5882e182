package failure_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

var (
	errOuter = failure.New(failure.CardRemoved, "outer")
	errInner = failure.New(failure.CardError, "inner")
)

func TestCodeOfFindsTheOutermostCodedError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want failure.Code
	}{
		{"sentinel", errOuter, failure.CardRemoved},
		{"wrapped", fmt.Errorf("cards: reader %q: %w", "A", errInner), failure.CardError},
		{"outer context wins", fmt.Errorf("%w: %w", errOuter, errInner), failure.CardRemoved},
		{"outer wraps inner", fmt.Errorf("x: %w", fmt.Errorf("%w: %w", errOuter, errInner)), failure.CardRemoved},
		{"uncoded first, coded second", fmt.Errorf("%w: %w", errors.New("plain"), errInner), failure.CardError},
		{"deadline", fmt.Errorf("wallet: call: %w", context.DeadlineExceeded), failure.Timeout},
		{"coded beats deadline", fmt.Errorf("%w: %w", errOuter, context.DeadlineExceeded), failure.CardRemoved},
		{"cancelled", context.Canceled, failure.Internal},
		{"anything else", errors.New("surprise"), failure.Internal},
	}
	for _, tt := range tests {
		if got := failure.CodeOf(tt.err); got != tt.want {
			t.Errorf("%s: CodeOf(%v) = %s, want %s", tt.name, tt.err, got, tt.want)
		}
	}
}

// constants returns the values of the Code constants declared in
// failure.go, read from the source so that a new one cannot be left out of
// the catalog.
func constants(t *testing.T) []failure.Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "failure.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []failure.Code
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || fmt.Sprint(vs.Type) != "Code" {
			return true
		}
		for _, v := range vs.Values {
			s, err := strconv.Unquote(v.(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, failure.Code(s))
		}
		return true
	})
	return out
}

func TestTheCatalogHasEveryCodeOnceAndTheDocsDescribeEach(t *testing.T) {
	codes := constants(t)
	if len(codes) < 30 {
		t.Fatalf("read only %d codes from failure.go", len(codes))
	}
	seen := map[failure.Code]int{}
	for _, e := range failure.Catalog() {
		seen[e.Code]++
		if e.Action == "" {
			t.Errorf("%s: no action", e.Code)
		}
	}
	docs, err := os.ReadFile("../../docs/host-protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if seen[c] != 1 {
			t.Errorf("%s is in the catalog %d times, want once", c, seen[c])
		}
		if !strings.Contains(string(docs), "| `"+string(c)+"` |") {
			t.Errorf("%s has no row in docs/host-protocol.md's table of error codes", c)
		}
	}
	if len(failure.Catalog()) != len(codes) {
		t.Errorf("the catalog has %d entries for %d codes", len(failure.Catalog()), len(codes))
	}
}

func TestAnUnknownCodeIsDescribedAsInternal(t *testing.T) {
	if e := failure.Describe("SOMETHING_NEW"); e.Code != failure.Internal || e.FixedMessage == "" {
		t.Errorf("Describe(unknown) = %+v, want INTERNAL with its fixed message", e)
	}
}
