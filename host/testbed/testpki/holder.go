package testpki

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Holder is the fictional person a card is issued to. Name, Sex, BirthDate
// and Address go into the signature certificate only; Prefecture and
// Municipality name the issuing municipality in both certificates' CRL
// distribution points.
type Holder struct {
	Name string // as on the card, e.g. "テスト 花子"
	// Sex is the 住民基本台帳 code: "1" male, "2" female, "3" not known.
	Sex string
	// BirthDate is EYYYYMMDD: an era digit (1 明治, 2 大正, 3 昭和, 4 平成,
	// 5 令和) followed by the Gregorian date. FormatBirthDate makes one.
	BirthDate string
	Address   string // full address as on the card
	// NameSubstituteMap and AddressSubstituteMap are the 代替文字 maps of
	// otherName .2 and .6 (how characters outside JIS were replaced); empty
	// for a name and address that need no substitution.
	NameSubstituteMap, AddressSubstituteMap string
	// Prefecture and Municipality are in the romanised form J-LIS uses in
	// CRL distribution point names, e.g. "Hokkaido", "Sapporo-shi-Minami-ku".
	Prefecture, Municipality string
}

// DefaultHolder is the holder of the committed test set. Every value is
// made up; "テスト" (test) as a family name and "テスト町" as a district make
// that visible wherever the data is shown.
func DefaultHolder() Holder {
	return Holder{
		Name:         "テスト 花子",
		Sex:          "2",
		BirthDate:    "419900515", // 平成2年5月15日 = 1990-05-15
		Address:      "北海道札幌市南区テスト町1丁目2番3号",
		Prefecture:   "Hokkaido",
		Municipality: "Sapporo-shi-Minami-ku",
	}
}

// eras lists the first day of each era, newest first, with its digit in
// EYYYYMMDD.
var eras = []struct {
	digit byte
	start time.Time
}{
	{'5', time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},   // 令和
	{'4', time.Date(1989, 1, 8, 0, 0, 0, 0, time.UTC)},   // 平成
	{'3', time.Date(1926, 12, 25, 0, 0, 0, 0, time.UTC)}, // 昭和
	{'2', time.Date(1912, 7, 30, 0, 0, 0, 0, time.UTC)},  // 大正
	{'1', time.Date(1868, 1, 25, 0, 0, 0, 0, time.UTC)},  // 明治 (元年1月1日 in the Gregorian calendar)
}

// FormatBirthDate returns the EYYYYMMDD form of a date (only its year, month
// and day are used), e.g. 1990-05-15 -> "419900515".
func FormatBirthDate(d time.Time) (string, error) {
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, e := range eras {
		if !day.Before(e.start) {
			return string(e.digit) + day.Format("20060102"), nil
		}
	}
	return "", fmt.Errorf("testpki: birth date %s is before the 明治 era", day.Format(time.DateOnly))
}

func checkBirthDate(s string) error {
	if len(s) != 9 {
		return fmt.Errorf("testpki: birth date %q: want EYYYYMMDD (9 digits)", s)
	}
	d, err := time.Parse("20060102", s[1:])
	if err != nil {
		return fmt.Errorf("testpki: birth date %q: want EYYYYMMDD: %w", s, err)
	}
	// The era digit is redundant with the date; a wrong one is the kind of
	// mistake a parser under test should never be shown as valid data.
	want, err := FormatBirthDate(d)
	if err != nil {
		return err
	}
	if want != s {
		return fmt.Errorf("testpki: birth date %q: era digit does not match the date (want %q)", s, want)
	}
	return nil
}

// checkMunicipality validates what both certificate profiles need.
func (h Holder) checkMunicipality() error {
	if h.Prefecture == "" || h.Municipality == "" {
		return fmt.Errorf("testpki: holder needs Prefecture and Municipality (got %q, %q)", h.Prefecture, h.Municipality)
	}
	return nil
}

// checkSign validates what the signature certificate profile needs.
func (h Holder) checkSign() error {
	if err := h.checkMunicipality(); err != nil {
		return err
	}
	if h.Name == "" || h.Address == "" {
		return fmt.Errorf("testpki: holder needs Name and Address")
	}
	switch h.Sex {
	case "1", "2", "3":
	default:
		return fmt.Errorf("testpki: holder sex %q: want \"1\", \"2\" or \"3\"", h.Sex)
	}
	for _, s := range []string{h.Name, h.Address, h.NameSubstituteMap, h.AddressSubstituteMap} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("testpki: holder field %q is not valid UTF-8", s)
		}
	}
	return checkBirthDate(h.BirthDate)
}
