package chromium

import (
	"fmt"
	"strings"
	"testing"
)

func TestDropHarmlessKeepsEveryOtherError(t *testing.T) {
	var got []string
	errf := dropHarmless(func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) })
	errf("received DOM.documentUpdated when there's no top-level frame")
	errf("could not retrieve document root for %s: %v", "F1", "gone")
	errf("%s", "received DOM.documentUpdated when there's no top-level frame, and more")
	want := []string{
		"ERROR: could not retrieve document root for F1: gone",
		"ERROR: received DOM.documentUpdated when there's no top-level frame, and more",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
