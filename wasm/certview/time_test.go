package certview

import (
	"testing"
	"time"
)

func TestTimeMatchesPackageTime(t *testing.T) {
	for _, sec := range []int64{0, -1, 951782400, 1774969200, 1956437999, 4107542399, 253402300799, -62135596800} {
		want := time.Unix(sec, 0).UTC()
		got := TimeFromUnix(sec)
		if got.Year != want.Year() || got.Month != int(want.Month()) || got.Day != want.Day() ||
			got.Hour != want.Hour() || got.Minute != want.Minute() || got.Second != want.Second() {
			t.Errorf("TimeFromUnix(%d) = %v, want %v", sec, got, want)
		}
		if got.Unix() != sec {
			t.Errorf("%v.Unix() = %d, want %d", got, got.Unix(), sec)
		}
	}
	jst := Time{2031, 3, 31, 14, 59, 59, 0}.In(9 * 3600)
	if jst != (Time{2031, 3, 31, 23, 59, 59, 9 * 3600}) || jst.String() != "2031-03-31T23:59:59+09:00" {
		t.Errorf("In(JST) = %v", jst)
	}
	if jst.Unix() != (Time{2031, 3, 31, 14, 59, 59, 0}).Unix() {
		t.Errorf("In changed the instant: %d", jst.Unix())
	}
	if s := (Time{2026, 3, 31, 15, 0, 0, 0}).String(); s != "2026-03-31T15:00:00Z" {
		t.Errorf("String() = %q", s)
	}
}
