package sheet

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	mynaconnect "github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/wasm/certview"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

// 2027-01-01T00:00:00Z: inside the test certificate's validity.
const inValidity = 1798761600

func testCert(t *testing.T) *certview.Certificate {
	t.Helper()
	der, err := fs.ReadFile(mynaconnect.TestPKI(), "auth-cert.der")
	if err != nil {
		t.Fatal(err)
	}
	c, err := certview.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func analyze(t *testing.T, s string) *origin.Origin {
	t.Helper()
	o, err := origin.Analyze(s)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBuildLogin(t *testing.T) {
	cert := testCert(t)
	tests := []struct {
		lang                 string
		title, question      string
		sentHeading, notSent string
		sentLabels           []string
		notSentLabels        []string
		validity, muni, key  string
		firstVisit           string
	}{
		{
			lang:          "ja",
			title:         "myconnect-lib.netlify.appが操作を求めています",
			question:      "呼び出し元のURLは https://myconnect-lib.netlify.app で間違いありませんか？",
			sentHeading:   "以下の内容が送信されます",
			notSent:       "以下の内容は送信されません",
			sentLabels:    []string{"電子証明書(利用者証明用)", "公開鍵", "電子署名"},
			notSentLabels: []string{"個人番号", "氏名、住所、性別、生年月日"},
			validity:      "2026年4月1日から2031年3月31日まで",
			muni:          "北海道 Sapporo-shi-Minami-ku",
			key:           "RSA 2048ビット",
			firstVisit:    "はじめて接続するサイトです",
		},
		{
			lang:          "en",
			title:         "myconnect-lib.netlify.app is asking for your approval",
			question:      "Is https://myconnect-lib.netlify.app the site you are using?",
			sentHeading:   "The following will be sent",
			notSent:       "The following will not be sent",
			sentLabels:    []string{"Certificate for user authentication (利用者証明用)", "Public key", "Digital signature"},
			notSentLabels: []string{"Your My Number (individual number)", "Name, address, sex, date of birth"},
			validity:      "1 April 2026 to 31 March 2031",
			muni:          "Sapporo-shi-Minami-ku, Hokkaido",
			key:           "RSA 2048-bit",
			firstVisit:    "First visit to this site",
		},
	}
	for _, tt := range tests {
		s := Build(Input{Origin: analyze(t, "https://myconnect-lib.netlify.app"), Certificate: cert, PublicKeySHA256: testKeySum,
			FirstSeen: true, Lang: tt.lang, Now: inValidity})
		if got := s.Title.Before + s.Title.Value + s.Title.After; got != tt.title || s.Title.Value != "myconnect-lib.netlify.app" {
			t.Errorf("%s: title %q (site %q), want %q", tt.lang, got, s.Title.Value, tt.title)
		}
		if got := s.Question.Before + s.Question.Value + s.Question.After; got != tt.question {
			t.Errorf("%s: question %q, want %q", tt.lang, got, tt.question)
		}
		if s.SentHeading != tt.sentHeading || s.NotSentHeading != tt.notSent {
			t.Errorf("%s: headings %q / %q", tt.lang, s.SentHeading, s.NotSentHeading)
		}
		if got := labels(s.Sent); !reflect.DeepEqual(got, tt.sentLabels) {
			t.Errorf("%s: sent %q, want %q", tt.lang, got, tt.sentLabels)
		}
		if got := labels(s.NotSent); !reflect.DeepEqual(got, tt.notSentLabels) {
			t.Errorf("%s: not sent %q, want %q", tt.lang, got, tt.notSentLabels)
		}
		fields := map[string]string{}
		for _, it := range s.Sent {
			for _, f := range it.Fields {
				fields[f.Key] = f.Value
			}
		}
		want := map[string]string{
			"subject":            "C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ",
			"issuer":             cert.Issuer,
			"validity":           tt.validity,
			"municipality":       tt.muni,
			"publicKeyAlgorithm": tt.key,
			"publicKeySha256":    testKeySum, // the host's hash, shown as given
		}
		if !reflect.DeepEqual(fields, want) {
			t.Errorf("%s: fields\n%q\nwant\n%q", tt.lang, fields, want)
		}
		if sig := s.Sent[2].NotePhrase; sig.Value != "https://myconnect-lib.netlify.app" {
			t.Errorf("%s: the signature note names %q, not the origin", tt.lang, sig.Value)
		}
		if len(s.Badges) != 1 || s.Badges[0] != (Badge{"first-visit", tt.firstVisit}) {
			t.Errorf("%s: badges %+v", tt.lang, s.Badges)
		}
		if len(s.Warnings) != 0 {
			t.Errorf("%s: warnings %+v for a plain https site", tt.lang, s.Warnings)
		}
	}
}

func labels(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

func TestBuildWarnsInPlainWords(t *testing.T) {
	tests := []struct {
		origin    string
		firstSeen bool
		badges    []string
		warnings  []string // code:severity
		site      string
		ascii     string
		looksLike string
	}{
		{origin: "https://login.example.co.jp", site: "example.co.jp"},
		{origin: "http://localhost:8080", firstSeen: true, badges: []string{"first-visit", "development"}, site: "localhost"},
		{origin: "http://127.0.0.1:3000", badges: []string{"development"}, warnings: []string{"IP_ADDRESS:caution"}, site: "127.0.0.1"},
		{origin: "https://github.io", warnings: []string{"NO_REGISTRABLE_DOMAIN:caution"}, site: "github.io"},
		{origin: "https://www.xn--eckwd4c7c5976acvb2w6i.jp", warnings: []string{"IDN:info"},
			site: "日本語ドメイン.jp", ascii: "https://www.xn--eckwd4c7c5976acvb2w6i.jp"},
		// A misleading name is shown in ASCII, as browsers do.
		{origin: "https://login.xn--pypal-4ve.com", warnings: []string{"CONFUSABLE:danger", "MIXED_SCRIPT:danger", "IDN:info"},
			site: "xn--pypal-4ve.com", looksLike: "login.paypal.com"},
	}
	for _, lang := range []string{"ja", "en"} {
		for _, tt := range tests {
			s := Build(Input{Origin: analyze(t, tt.origin), FirstSeen: tt.firstSeen, Lang: lang})
			var badges, warnings []string
			for _, b := range s.Badges {
				badges = append(badges, b.Key)
				if b.Text == "" {
					t.Errorf("%s %s: badge %s has no text", lang, tt.origin, b.Key)
				}
			}
			for _, w := range s.Warnings {
				warnings = append(warnings, w.Code+":"+w.Severity)
				if w.Title == "" || w.Text == "" {
					t.Errorf("%s %s: warning %s has no words", lang, tt.origin, w.Code)
				}
				if w.Code == "CONFUSABLE" && w.Detail.Value != tt.looksLike {
					t.Errorf("%s %s: looks like %q, want %q", lang, tt.origin, w.Detail.Value, tt.looksLike)
				}
			}
			if !reflect.DeepEqual(badges, tt.badges) || !reflect.DeepEqual(warnings, tt.warnings) {
				t.Errorf("%s %s: badges %v warnings %v; want %v %v", lang, tt.origin, badges, warnings, tt.badges, tt.warnings)
			}
			a := s.Asker
			if a.Site != tt.site || a.ASCII != tt.ascii {
				t.Errorf("%s %s: site %q ascii %q; want %q %q", lang, tt.origin, a.Site, a.ASCII, tt.site, tt.ascii)
			}
			// The prominent site is part of the origin shown, in place.
			if o := analyze(t, tt.origin); a.OriginBefore+a.Site+a.OriginAfter != unicodeOrigin(o) &&
				a.OriginBefore+a.Site+a.OriginAfter != o.Serialized {
				t.Errorf("%s %s: origin split %q|%q|%q", lang, tt.origin, a.OriginBefore, a.Site, a.OriginAfter)
			}
			if s.Title.Value != tt.site {
				t.Errorf("%s %s: title names %q, want %q", lang, tt.origin, s.Title.Value, tt.site)
			}
			if len(s.Sent) != 0 || len(s.NotSent) != 0 {
				t.Errorf("%s %s: items without a certificate", lang, tt.origin)
			}
		}
	}
}

func TestBuildCertificateValidity(t *testing.T) {
	cert := testCert(t)
	o := analyze(t, "https://example.com")
	tests := []struct {
		now  int64
		want string
	}{
		{0, ""},
		{inValidity, ""},
		{cert.NotAfter.Unix() + 1, "CERTIFICATE_EXPIRED"},
		{cert.NotBefore.Unix() - 1, "CERTIFICATE_NOT_YET_VALID"},
	}
	for _, tt := range tests {
		s := Build(Input{Origin: o, Certificate: cert, Now: tt.now})
		got := ""
		if len(s.Warnings) > 0 {
			got = s.Warnings[0].Code
		}
		if got != tt.want {
			t.Errorf("now %d: warning %q, want %q", tt.now, got, tt.want)
		}
	}
}

func TestBuildWithoutMunicipality(t *testing.T) {
	cert := *testCert(t)
	cert.Prefecture, cert.PrefectureJa, cert.Municipality = "", "", ""
	s := Build(Input{Origin: analyze(t, "https://example.com"), Certificate: &cert})
	for _, f := range s.Sent[0].Fields {
		if f.Key == "municipality" && (f.Value != "証明書に記載がありません" || f.Note != "") {
			t.Errorf("municipality field %+v", f)
		}
	}
}

// The login sends the public key, and the card's Ethereum account is made
// from it: the sheet says that sites can link logins, and names the
// account on each configured chain.
func TestLoginSheetSaysThePublicKeyLinksLoginsAndTheAccount(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		in := Input{Origin: analyze(t, "https://example.com"), Certificate: testCert(t), Lang: lang, Now: inValidity}
		in.Accounts = []Account{{Chain: "MynaConnect dev chain", Address: "0x70bF8e0F3C4B0b2409e3045902a06B87a424753a"}}
		s := Build(in)
		var key *Item
		for i := range s.Sent {
			if s.Sent[i].Key == "publicKey" {
				key = &s.Sent[i]
			}
		}
		if key == nil {
			t.Fatal("no publicKey item")
		}
		if want := map[string]string{"ja": "同じ人だと分かります", "en": "the same person"}[lang]; !strings.Contains(key.Note, want) {
			t.Errorf("%s: the public key's note %q does not say logins can be linked", lang, key.Note)
		}
		last := key.Fields[len(key.Fields)-1]
		if last.Key != "linkedAccount" || last.Value != in.Accounts[0].Address || last.Format != FormatAddress ||
			!strings.Contains(last.Label, "MynaConnect dev chain") {
			t.Errorf("%s: linked account field %+v", lang, last)
		}
	}
	if s := Build(Input{Origin: analyze(t, "https://example.com"), Certificate: testCert(t)}); len(s.Sent[1].Fields) != 2 {
		t.Errorf("without a configured chain, %d public key fields, want 2", len(s.Sent[1].Fields))
	}
}

// testKeySum stands for the host's hash of the certificate's key: the sheet
// shows what it is given.
const testKeySum = "9b2e4706b3c1a0f4e6d8c2b5a79e13f0c4d6b8a2e1f3057a9c8b6d4e2f1a0c3b"
