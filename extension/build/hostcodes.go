package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mynaconnect/mynaconnect/host/failure"
)

// HostCodesFile is the extension's table of host error codes, relative to
// the repository root: generated from package host/failure by
// HostCodesJS, checked in so that the extension's Node tests read it
// as the browser does, and checked by every build (checkHostCodes) so
// that the extension and the host cannot disagree about a code.
const HostCodesFile = "extension/src/lib/hostcodes.js"

// HostCodesJS is HostCodesFile's content: every code of failure.Catalog
// under what the consent window does with it (grouped by action, which
// keeps the extension's JavaScript small), and the page error of the
// codes that do not become CARD_ERROR.
func HostCodesJS() []byte {
	actions := map[failure.Action][]failure.Code{}
	reasons := map[failure.Code]string{}
	for _, e := range failure.Catalog() {
		actions[e.Action] = append(actions[e.Action], e.Code)
		if e.PageReason != "" {
			reasons[e.Code] = e.PageReason
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated from host/failure by extension/build (HostCodesJS); DO NOT EDIT.\n")
	b.WriteString("// Regenerate: go test ./extension/build -run TestHostCodesFileIsGenerated -update\n\n")
	b.WriteString("/** Every host error code (docs/host-protocol.md), under what the consent window does with it. */\n")
	fmt.Fprintf(&b, "export const CODES_BY_ACTION = %s;\n\n", mustJSON(actions))
	b.WriteString("/** The page error (data.reason) of the host codes that are not CARD_ERROR. */\n")
	fmt.Fprintf(&b, "export const PAGE_REASONS = %s;\n", mustJSON(reasons))
	return b.Bytes()
}

// mustJSON marshals a map of strings (or of lists of strings, in catalog
// order), which cannot fail; json sorts the keys, so the file is the same
// on every run.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// checkHostCodes fails the build when HostCodesFile is not what the host's
// catalog generates.
func checkHostCodes(root string) error {
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(HostCodesFile)))
	if err != nil {
		return fmt.Errorf("build: the host code table: %w", err)
	}
	if !bytes.Equal(got, HostCodesJS()) {
		return fmt.Errorf("build: %s is not what host/failure generates; run: go test ./extension/build -run TestHostCodesFileIsGenerated -update", HostCodesFile)
	}
	return nil
}
