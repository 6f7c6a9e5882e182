package testpki

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

func TestFormatBirthDateUsesTheEraDigit(t *testing.T) {
	for _, c := range []struct {
		date time.Time
		want string
	}{
		{time.Date(1990, 5, 15, 0, 0, 0, 0, time.UTC), "419900515"},
		{time.Date(1989, 1, 7, 0, 0, 0, 0, time.UTC), "319890107"}, // last day of 昭和
		{time.Date(1989, 1, 8, 0, 0, 0, 0, time.UTC), "419890108"}, // first day of 平成
		{time.Date(2019, 4, 30, 0, 0, 0, 0, time.UTC), "420190430"},
		{time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), "520190501"},
		{time.Date(1926, 12, 24, 0, 0, 0, 0, time.UTC), "219261224"},
		{time.Date(1912, 7, 29, 0, 0, 0, 0, time.UTC), "119120729"},
		// A late hour in JST is still that day: only the date counts.
		{time.Date(2019, 5, 1, 23, 0, 0, 0, time.FixedZone("JST", 9*3600)), "520190501"},
	} {
		got, err := FormatBirthDate(c.date)
		if err != nil || got != c.want {
			t.Errorf("FormatBirthDate(%v) = %q, %v; want %q", c.date, got, err, c.want)
		}
	}
	if _, err := FormatBirthDate(time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("FormatBirthDate(1850) succeeded, want an error")
	}
}

func TestIssueSignRejectsAnIncompleteHolder(t *testing.T) {
	_, signCA, key := testSetup(t)
	for _, c := range []struct {
		name   string
		modify func(*Holder)
		want   string
	}{
		{"era digit wrong", func(h *Holder) { h.BirthDate = "319900515" }, "era digit"},
		{"8-digit date", func(h *Holder) { h.BirthDate = "41990101" }, "EYYYYMMDD"},
		{"impossible date", func(h *Holder) { h.BirthDate = "419900231" }, "EYYYYMMDD"},
		{"sex as a word", func(h *Holder) { h.Sex = "female" }, "sex"},
		{"no name", func(h *Holder) { h.Name = "" }, "Name"},
		{"no municipality", func(h *Holder) { h.Municipality = "" }, "Municipality"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := validity()
			o.Holder = DefaultHolder()
			c.modify(&o.Holder)
			_, err := signCA.IssueSign(&key.PublicKey, o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("IssueSign: %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}

func TestSignCertOtherNamesDecodeToTheHolder(t *testing.T) {
	_, signCA, key := testSetup(t)
	h := Holder{
		Name:                 "試験 太郎",
		Sex:                  "1",
		BirthDate:            "520200229",
		Address:              "東京都千代田区テスト1-1",
		NameSubstituteMap:    "試=試", // any UTF-8 text round-trips
		AddressSubstituteMap: "",
		Prefecture:           "Tokyo-to",
		Municipality:         "Chiyoda-ku",
	}
	o := validity()
	o.Holder = h
	der, err := signCA.IssueSign(&key.PublicKey, o)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SignCertHolder(cert)
	if err != nil {
		t.Fatal(err)
	}
	if got != h {
		t.Errorf("SignCertHolder\n got %+v\nwant %+v", got, h)
	}
}

func TestSignCertOtherNamesAreExplicitlyTaggedUTF8(t *testing.T) {
	// The exact bytes of one entry, so that an encoder that silently drops
	// the explicit [0] (as encoding/asn1 does for RawValue fields) fails here.
	n, err := otherName(OIDSex, "2")
	if err != nil {
		t.Fatal(err)
	}
	got := n.Bytes
	want := []byte{
		0x06, 0x0A, 0x2A, 0x83, 0x08, 0x8C, 0x9B, 0x55, 0x08, 0x05, 0x05, 0x03, // OID 1.2.392.200149.8.5.5.3
		0xA0, 0x03, // [0] EXPLICIT
		0x0C, 0x01, '2', // UTF8String "2"
	}
	if string(got) != string(want) || n.Class != 2 || n.Tag != 0 || !n.IsCompound {
		t.Errorf("otherName = class %d tag %d compound %v % X\nwant class 2 tag 0 compound true % X", n.Class, n.Tag, n.IsCompound, got, want)
	}
}
