package sheet

import (
	"strconv"

	"github.com/mynaconnect/mynaconnect/wasm/certview"
)

// texts holds every string the sheet shows in one language. The Japanese
// wording follows the product's mock screens; the English says the same
// thing, not more.
type texts struct {
	titleAfter  string // after the site name: "<site>が操作を求めています"
	titleBefore string // before it, for languages that need it
	asker       string
	// self names MynaConnect when its own page asks; selfQuestion follows it.
	self, selfQuestion string
	asciiForm          string
	firstVisit         string
	development        string

	sentHeading, notSentHeading string

	certificate, certificateNote            string
	subject, issuer, validity, municipality string
	municipalityNote, municipalityNone      string
	publicKey, publicKeyNote                string
	linkedAccountNote                       string
	linkedAccount                           func(chain string) string
	fingerprint, keyAlgorithm               string
	signature                               string
	signatureBefore, signatureAfter         string
	myNumber, personal                      string
	questionBefore, questionAfter           string
	warnings                                map[string][2]string // code -> title, text
	looksLikeBefore, looksLikeAfter         string
	validityFormat                          func(from, to certview.Time) string
	municipalityFormat                      func(c *certview.Certificate) string
	keyFormat                               func(alg string, bits int) string
}

var ja = texts{
	titleAfter:   "が操作を求めています",
	asker:        "呼び出し元",
	self:         "マイナコネクト",
	selfQuestion: " の設定画面からの依頼です。内容が、いまご自身で操作したとおりか確かめてください。",
	asciiForm:    "英数字での表記",
	firstVisit:   "はじめて接続するサイトです",
	development:  "開発用のサイトです（このパソコンの中のサイト）。ご自身で開発中でなければ、キャンセルしてください。",

	sentHeading:    "以下の内容が送信されます",
	notSentHeading: "以下の内容は送信されません",

	certificate:      "電子証明書(利用者証明用)",
	certificateNote:  "このカードを識別するための証明書です。氏名・住所などは含まれていません。",
	subject:          "利用者の識別子",
	issuer:           "発行者",
	validity:         "有効期間",
	municipality:     "発行元の市区町村",
	municipalityNote: "カードを発行した市区町村がサイトに伝わります。",
	municipalityNone: "証明書に記載がありません",
	publicKey:        "公開鍵",
	publicKeyNote:    "このカードの署名を確かめるための鍵です。カードを更新するまで変わらないため、このカードでログインしたサイトどうしは、同じ人だと分かります。",
	linkedAccount: func(chain string) string {
		return "この鍵から分かるあなたのアカウント（" + chain + "）"
	},
	linkedAccountNote: "このカードのアカウントも同じ鍵から作られています。サイトは、このアドレスの残高や取引の記録を見られます。",
	fingerprint:       "公開鍵の指紋 (SHA-256)",
	keyAlgorithm:      "鍵の種類",
	signature:         "電子署名",
	signatureBefore:   "このサイト（",
	signatureAfter:    "）と、サイトから届いた確認用の文字列だけに対する署名です。ほかのサイトへのログインには使えません。",
	myNumber:          "個人番号",
	personal:          "氏名、住所、性別、生年月日",
	questionBefore:    "呼び出し元のURLは ",
	questionAfter:     " で間違いありませんか？",
	looksLikeBefore:   "「",
	looksLikeAfter:    "」のように見えますが、別のサイトです。",
	warnings: map[string][2]string{
		"CONFUSABLE": {"よく似た別の文字が使われています",
			"このサイトの名前には、英字やカタカナとよく似た別の文字が含まれています。本物のサイトだと確かめられない場合は、キャンセルしてください。"},
		"MIXED_SCRIPT": {"種類の違う文字が混ざった名前です",
			"英字とキリル文字など、ふだん一緒に使わない文字が一つの名前に混ざっています。偽のサイトによく見られる特徴です。"},
		"IDN": {"英数字以外の文字を含む名前です",
			"表示されている名前と、下の英数字での表記が、利用しようとしているサイトのものか確かめてください。"},
		"NO_REGISTRABLE_DOMAIN": {"持ち主を特定できない名前です",
			"多くのサイトが共同で使う名前（またはその一部だけ）からの呼び出しです。利用しようとしているサイトか、よく確かめてください。"},
		"IP_ADDRESS": {"名前ではなく番号（IPアドレス）のサイトです",
			"IPアドレスからは、誰が運営しているサイトか分かりません。心当たりがなければキャンセルしてください。"},
		"CERTIFICATE_EXPIRED": {"電子証明書の有効期限が切れています",
			"このカードの電子証明書(利用者証明用)は期限切れのため、サイトはログインを受け付けません。お住まいの市区町村の窓口で更新してください。"},
		"CERTIFICATE_NOT_YET_VALID": {"電子証明書の有効期間がまだ始まっていません",
			"パソコンの日付が正しいか確かめてください。"},
	},
	validityFormat: func(from, to certview.Time) string {
		return jaDate(from) + "から" + jaDate(to) + "まで"
	},
	municipalityFormat: func(c *certview.Certificate) string {
		pref := c.PrefectureJa
		if pref == "" {
			pref = c.Prefecture
		}
		return pref + " " + c.Municipality
	},
	keyFormat: func(alg string, bits int) string {
		if bits == 0 {
			return alg
		}
		return alg + " " + strconv.Itoa(bits) + "ビット"
	},
}

var en = texts{
	titleAfter:   " is asking for your approval",
	asker:        "Requested by",
	self:         "MynaConnect",
	selfQuestion: "’s own settings page asks for this. Check that it is what you just did.",
	asciiForm:    "In letters and digits",
	firstVisit:   "First visit to this site",
	development:  "Development site (running on this computer). Press Cancel unless you are developing it yourself.",

	sentHeading:    "The following will be sent",
	notSentHeading: "The following will not be sent",

	certificate:       "Certificate for user authentication (利用者証明用)",
	certificateNote:   "Identifies this card. It does not contain your name or address.",
	subject:           "Holder ID",
	issuer:            "Issuer",
	validity:          "Valid",
	municipality:      "Issuing municipality",
	municipalityNote:  "The site learns which municipality issued the card.",
	municipalityNone:  "Not stated in the certificate",
	publicKey:         "Public key",
	publicKeyNote:     "Lets the site check this card's signatures. It stays the same until the card is renewed, so sites you log in to with this card can tell it is the same person.",
	linkedAccount:     func(chain string) string { return "Your account on " + chain + ", known from this key" },
	linkedAccountNote: "This card's account is made from the same key. The site can see this address's balance and transaction history.",
	fingerprint:       "Public key fingerprint (SHA-256)",
	keyAlgorithm:      "Key type",
	signature:         "Digital signature",
	signatureBefore:   "A signature over this site (",
	signatureAfter:    ") and the one-time code it sent, nothing else. It cannot be used to log in to any other site.",
	myNumber:          "Your My Number (individual number)",
	personal:          "Name, address, sex, date of birth",
	questionBefore:    "Is ",
	questionAfter:     " the site you are using?",
	looksLikeBefore:   "It may look like “",
	looksLikeAfter:    "”, but it is a different site.",
	warnings: map[string][2]string{
		"CONFUSABLE": {"Look-alike characters",
			"This site's name uses characters that look like other letters. If you cannot be sure it is the real site, press Cancel."},
		"MIXED_SCRIPT": {"Mixed alphabets in the name",
			"The name mixes alphabets that are not normally used together, such as Latin and Cyrillic. Fake sites often do this."},
		"IDN": {"The name has non-ASCII characters",
			"Check that both the name shown and its form in letters and digits below belong to the site you mean to use."},
		"NO_REGISTRABLE_DOMAIN": {"A name nobody in particular owns",
			"This name (or part of one) is shared by many sites. Make sure it is the site you mean to use."},
		"IP_ADDRESS": {"A number (IP address), not a name",
			"An IP address does not tell you who runs the site. Press Cancel unless you expected it."},
		"CERTIFICATE_EXPIRED": {"The certificate has expired",
			"This card's certificate for user authentication has expired, so the site will not accept the login. Renew it at your municipal office."},
		"CERTIFICATE_NOT_YET_VALID": {"The certificate is not valid yet",
			"Check that this computer's date is correct."},
	},
	validityFormat: func(from, to certview.Time) string {
		return enDate(from) + " to " + enDate(to)
	},
	municipalityFormat: func(c *certview.Certificate) string {
		return c.Municipality + ", " + c.Prefecture
	},
	keyFormat: func(alg string, bits int) string {
		if bits == 0 {
			return alg
		}
		return alg + " " + strconv.Itoa(bits) + "-bit"
	},
}

// jst is Japan's offset from UTC; it has no daylight saving time. J-LIS
// certificates begin at 00:00 and end at 23:59:59 JST, so dates in JST are
// exact.
const jst = 9 * 3600

// Date is t's day in Japan, written as lang writes dates.
func Date(lang string, t certview.Time) string {
	if lang == "en" {
		return enDate(t)
	}
	return jaDate(t)
}

func jaDate(t certview.Time) string {
	t = t.In(jst)
	return strconv.Itoa(t.Year) + "年" + strconv.Itoa(t.Month) + "月" + strconv.Itoa(t.Day) + "日"
}

var enMonths = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func enDate(t certview.Time) string {
	t = t.In(jst)
	return strconv.Itoa(t.Day) + " " + enMonths[t.Month-1] + " " + strconv.Itoa(t.Year)
}
