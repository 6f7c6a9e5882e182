package certview

import "strconv"

// Time is a certificate validity bound, to the second: a wall-clock time
// Offset seconds east of UTC (Parse returns UTC, Offset 0). The package
// time would do, but it adds 370 KB to the WebAssembly module for what is
// here a date to print and two numbers to compare.
type Time struct {
	Year, Month, Day, Hour, Minute, Second int
	Offset                                 int
}

// Unix returns t as seconds since 1970-01-01T00:00:00Z.
func (t Time) Unix() int64 {
	return daysFromCivil(t.Year, t.Month, t.Day)*86400 + int64(t.Hour*3600+t.Minute*60+t.Second-t.Offset)
}

// In returns the same instant as wall-clock time at a fixed offset east of
// UTC, e.g. 9*3600 for Japan (JST has no daylight saving time).
func (t Time) In(offsetSeconds int) Time {
	w := TimeFromUnix(t.Unix() + int64(offsetSeconds))
	w.Offset = offsetSeconds
	return w
}

// String is RFC 3339: "2026-03-31T15:00:00Z", "2026-04-01T00:00:00+09:00".
func (t Time) String() string {
	s := pad(t.Year, 4) + "-" + pad(t.Month, 2) + "-" + pad(t.Day, 2) + "T" +
		pad(t.Hour, 2) + ":" + pad(t.Minute, 2) + ":" + pad(t.Second, 2)
	if t.Offset == 0 {
		return s + "Z"
	}
	sign, off := "+", t.Offset
	if off < 0 {
		sign, off = "-", -off
	}
	return s + sign + pad(off/3600, 2) + ":" + pad(off%3600/60, 2)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// daysFromCivil counts days since 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// TimeFromUnix is the instant sec seconds after 1970-01-01T00:00:00Z, in UTC.
func TimeFromUnix(sec int64) Time {
	days := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Time{Year: int(y), Month: int(m), Day: int(d),
		Hour: int(rem / 3600), Minute: int(rem % 3600 / 60), Second: int(rem % 60)}
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseTime reads a UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime
// (YYYYMMDDHHMMSSZ), the only forms RFC 5280 allows.
func parseTime(e element) (Time, error) {
	var digits string
	switch {
	case e.is(classUniversal, tagUTCTime, false) && len(e.content) == 13:
		digits = string(e.content)
	case e.is(classUniversal, tagGeneralizedTime, false) && len(e.content) == 15:
		digits = string(e.content)
	default:
		return Time{}, errDER("time is not UTCTime or GeneralizedTime in RFC 5280 form")
	}
	if digits[len(digits)-1] != 'Z' {
		return Time{}, errDER("time is not in UTC")
	}
	digits = digits[:len(digits)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Time{}, errDER("time has a non-digit")
		}
	}
	num := func(s string) int { // digits checked above
		n := 0
		for i := 0; i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	var t Time
	if len(digits) == 12 {
		// RFC 5280: two-digit years 50-99 are 19xx, 00-49 are 20xx.
		t.Year = num(digits[:2]) + 2000
		if t.Year >= 2050 {
			t.Year -= 100
		}
		digits = digits[2:]
	} else {
		t.Year = num(digits[:4])
		digits = digits[4:]
	}
	t.Month, t.Day = num(digits[0:2]), num(digits[2:4])
	t.Hour, t.Minute, t.Second = num(digits[4:6]), num(digits[6:8]), num(digits[8:10])
	if t.Month < 1 || t.Month > 12 || t.Day < 1 || t.Day > daysIn(t.Year, t.Month) ||
		t.Hour > 23 || t.Minute > 59 || t.Second > 59 {
		return Time{}, errDER("time out of range")
	}
	return t, nil
}
