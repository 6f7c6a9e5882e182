package certview

import "strings"

// The 利用者証明用 certificate names the municipality that issued the card in
// its CRL distribution point, a directory name of this shape:
//
//	C=JP, O=JPKI, OU=JPKI for user authentication,
//	OU=CRL Distribution Points, OU=Hokkaido, CN=Sapporo-shi-Minami-ku CRLDP
//
// Nothing else in the certificate says where the holder lives; the consent
// sheet shows it because the site receives it.
const (
	crldpMarker = "CRL Distribution Points"
	crldpSuffix = " CRLDP"
)

// municipalityFrom finds the prefecture and municipality in one directory
// name, or returns "" for both when it is not of the JPKI shape.
func municipalityFrom(rdns [][]attribute) (prefecture, municipality string) {
	seenMarker := false
	for _, rdn := range rdns {
		if len(rdn) != 1 {
			continue
		}
		a := rdn[0]
		switch {
		case a.Type == "OU" && a.Value == crldpMarker:
			seenMarker = true
		case a.Type == "OU" && seenMarker && prefecture == "":
			prefecture = a.Value
		case a.Type == "CN" && seenMarker && strings.HasSuffix(a.Value, crldpSuffix):
			municipality = strings.TrimSuffix(a.Value, crldpSuffix)
		}
	}
	if prefecture == "" || municipality == "" {
		return "", ""
	}
	return displayText(prefecture), displayText(municipality)
}

// parseCRLDistributionPoints reads the extension value (RFC 5280 4.2.1.13)
// and returns the first JPKI-shaped directory name's municipality.
func parseCRLDistributionPoints(value []byte) (prefecture, municipality string, err error) {
	seq, rest, err := expect(value, classUniversal, tagSequence, true, "CRL distribution points")
	if err != nil || len(rest) != 0 {
		return "", "", errDER("CRL distribution points: not one SEQUENCE")
	}
	points, err := children(seq.content)
	if err != nil {
		return "", "", err
	}
	for _, dp := range points {
		if !dp.is(classUniversal, tagSequence, true) {
			return "", "", errDER("distribution point is not a SEQUENCE")
		}
		fields, err := children(dp.content)
		if err != nil {
			return "", "", err
		}
		// distributionPoint [0] { fullName [0] GeneralNames }
		if len(fields) == 0 || !fields[0].is(classContext, 0, true) {
			continue
		}
		dpName, err := children(fields[0].content)
		if err != nil {
			return "", "", err
		}
		if len(dpName) == 0 || !dpName[0].is(classContext, 0, true) {
			continue
		}
		names, err := children(dpName[0].content)
		if err != nil {
			return "", "", err
		}
		for _, gn := range names {
			// directoryName [4] holds a Name; the tag is explicit because
			// Name is a CHOICE.
			if !gn.is(classContext, 4, true) {
				continue
			}
			inner, rest, err := next(gn.content)
			if err != nil || len(rest) != 0 {
				return "", "", errDER("directoryName: not one Name")
			}
			rdns, err := parseName(inner)
			if err != nil {
				return "", "", err
			}
			if p, m := municipalityFrom(rdns); m != "" {
				return p, m, nil
			}
		}
	}
	return "", "", nil
}

// prefecturesJa maps the romanised prefecture names J-LIS uses to their
// Japanese names. Municipalities stay romanised: turning "Sapporo-shi" back
// into 札幌市 needs a dictionary of every municipality.
var prefecturesJa = map[string]string{
	"hokkaido": "北海道", "aomori": "青森県", "iwate": "岩手県", "miyagi": "宮城県",
	"akita": "秋田県", "yamagata": "山形県", "fukushima": "福島県", "ibaraki": "茨城県",
	"tochigi": "栃木県", "gunma": "群馬県", "saitama": "埼玉県", "chiba": "千葉県",
	"tokyo": "東京都", "kanagawa": "神奈川県", "niigata": "新潟県", "toyama": "富山県",
	"ishikawa": "石川県", "fukui": "福井県", "yamanashi": "山梨県", "nagano": "長野県",
	"gifu": "岐阜県", "shizuoka": "静岡県", "aichi": "愛知県", "mie": "三重県",
	"shiga": "滋賀県", "kyoto": "京都府", "osaka": "大阪府", "hyogo": "兵庫県",
	"nara": "奈良県", "wakayama": "和歌山県", "tottori": "鳥取県", "shimane": "島根県",
	"okayama": "岡山県", "hiroshima": "広島県", "yamaguchi": "山口県", "tokushima": "徳島県",
	"kagawa": "香川県", "ehime": "愛媛県", "kochi": "高知県", "fukuoka": "福岡県",
	"saga": "佐賀県", "nagasaki": "長崎県", "kumamoto": "熊本県", "oita": "大分県",
	"miyazaki": "宮崎県", "kagoshima": "鹿児島県", "okinawa": "沖縄県",
}

// PrefectureJa returns the Japanese name of a romanised prefecture
// ("Hokkaido", "Tokyo-to", "OSAKA", "Kōchi" and "Kouchi" all work), or "" if unknown.
func PrefectureJa(romanised string) string {
	b := []byte(romanised)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	key := string(b)
	for _, suffix := range []string{"-ken", "-to", "-fu", " prefecture"} {
		key = strings.TrimSuffix(key, suffix)
	}
	// Long vowels: "Kōchi", "Kouchi", "Hyougo" are all spelled in the wild.
	// (strings.NewReplacer would add 70 KB of WebAssembly for this; the
	// ASCII lower-casing above spares the Unicode case tables.)
	for _, r := range [][2]string{{"ō", "o"}, {"Ō", "o"}, {"ū", "u"}, {"Ū", "u"}, {"ou", "o"}, {"uu", "u"}} {
		key = strings.ReplaceAll(key, r[0], r[1])
	}
	return prefecturesJa[key]
}
