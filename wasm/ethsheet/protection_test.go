package ethsheet

import (
	"strings"
	"testing"
)

// selfRequest is a request from MynaConnect's own page for an account whose CardRecovery is recoveryAddr.
func selfRequest(lang string, p Protection) Request {
	p.Recovery = recoveryAddr
	return Request{Self: true, Lang: lang, Account: account, Chain: devChain, Protection: &p}
}

func TestChoosingGuardiansIsShownInPlainWords(t *testing.T) {
	passkey := "0x" + strings.Repeat("ab", 20) + strings.Repeat("cd", 64) // a verifier and a P-256 key
	s, err := Calls(selfRequest("ja", Protection{}), []CallInput{{To: recoveryAddr, Data: setGuardiansData(1, 0, bob, passkey)}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Calls) != 1 || s.Calls[0].Kind != KindSetGuardians || s.Calls[0].Threshold != 1 ||
		strings.Join(s.Calls[0].Guardians, ",") != bob+","+passkey {
		t.Fatalf("calls %+v", s.Calls)
	}
	root := Render(s)
	call := find(t, root, "data-call-kind", KindSetGuardians)
	text := call.TextContent()
	for _, want := range []string{"見守り人（アカウントを守る人）を決める", "お金を動かすことも、あなたの代わりに署名することもできません",
		"その間はこのカードで取り消せます", "2人のうち1人", "72時間（3日）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the guardians' item lacks %q: %q", want, text)
		}
	}
	if strings.Contains(text, "いまの見守り人が替わるのは") {
		t.Error("a first choice of guardians says the current ones stay")
	}
	guardians := findAll(call, "data-field", "guardian")
	if len(guardians) != 2 || guardians[0].TextContent() != bob || guardians[1].TextContent() != passkey {
		t.Errorf("guardian fields %d", len(guardians))
	}
	if got := find(t, root, "data-section", "asker").TextContent(); !strings.Contains(got, "マイナコネクトが取引の送信を求めています") {
		t.Errorf("the asker of MynaConnect's own page: %q", got)
	}
	if codes(s) != "" {
		t.Errorf("warnings %s on MynaConnect's own change of guardians", codes(s))
	}
	checkSafe(t, root)

	// With guardians already chosen, the change waits: the sheet says so.
	s, err = Calls(selfRequest("en", Protection{Guardians: 2}), []CallInput{{To: recoveryAddr, Data: setGuardiansData(2, 96*3600, bob, other)}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	text = find(t, Render(s), "data-call-kind", KindSetGuardians).TextContent()
	for _, want := range []string{"Your current guardians stay until the current waiting time has passed", "2 of 2", "96 hours (4 days)"} {
		if !strings.Contains(text, want) {
			t.Errorf("a later change lacks %q: %q", want, text)
		}
	}
}

func TestRecoveryCalls(t *testing.T) {
	site := request(t, "https://example.com", "ja")
	site.Protection = &Protection{Recovery: recoveryAddr}
	good := setGuardiansData(1, 0, bob)
	tests := []struct {
		name string
		r    Request
		call CallInput
		kind string // "" when refused
	}{
		{"cancel the recovery", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x0ba234d6"}, KindCancelRecovery},
		{"cancel the change of guardians", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0xe6a757f2"}, KindCancelGuardiansChange},
		{"set guardians, the address in capitals", selfRequest("ja", Protection{}), CallInput{To: "0x" + strings.ToUpper(recoveryAddr[2:]), Data: good}, ""},
		{"a site choosing guardians", site, CallInput{To: recoveryAddr, Data: good}, ""},
		{"a site cancelling a recovery", site, CallInput{To: recoveryAddr, Data: "0x0ba234d6"}, ""},
		{"another function", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x12345678"}, ""},
		{"zeros", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x" + strings.Repeat("00", 100)}, ""},
		{"value sent along", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Value: "0x1", Data: "0x0ba234d6"}, ""},
		{"cancel with trailing bytes", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x0ba234d600"}, ""},
		{"no guardians", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: setGuardiansData(1, 0)}, ""},
		{"quorum zero", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: setGuardiansData(0, 0, bob)}, ""},
		{"quorum above the guardians", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: setGuardiansData(2, 0, bob)}, ""},
		{"a guardian of 19 bytes", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: setGuardiansData(1, 0, bob[:40])}, ""},
		{"trailing bytes", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: good + "00"}, ""},
		{"a trailing word", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: good + word32("0")}, ""},
		{"dirty padding", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: good[:len(good)-1] + "1"}, ""},
		{"the array elsewhere", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x4c5848ed" + word32("80") + good[10+64:] + word32("0")}, ""},
		{"a threshold over 255", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: "0x4c5848ed" + word32("60") + word32("101") + good[10+128:]}, ""},
		{"truncated", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: good[:len(good)-64]}, ""},
	}
	rotate := abiCall("0x27dd824b", bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"))
	start := abiCall("0xef16c405", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"), listArg(bob[2:]), listArg(""))
	execute := abiCall("0x056b2c9a", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN))
	tests = append(tests, []struct {
		name string
		r    Request
		call CallInput
		kind string
	}{
		{"switch to the renewed card", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: rotate}, KindRotateOwner},
		{"a guardian starts a move", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: start}, KindStartRecovery},
		{"finish a move", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: execute}, KindExecuteRecovery},
		{"a site starting a move", site, CallInput{To: recoveryAddr, Data: start}, ""},
		{"a site finishing a move", site, CallInput{To: recoveryAddr, Data: execute}, ""},
		{"a site switching the card", site, CallInput{To: recoveryAddr, Data: rotate}, ""},
		{"a move without approvals", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: abiCall("0xef16c405", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"), listArg(), listArg())}, ""},
		{"approvals and signatures that do not pair", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: abiCall("0xef16c405", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"), listArg(bob[2:]), listArg("", ""))}, ""},
		{"a 1024-bit key", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: abiCall("0x056b2c9a", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN[:256]))}, ""},
		{"a padded exponent", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: abiCall("0x056b2c9a", wordArg(other[2:]), bytesArg("00"+newKeyE), bytesArg(newKeyN))}, ""},
		{"an account word with high bits", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: abiCall("0x056b2c9a", wordArg("01"+strings.Repeat("0", 22)+other[2:]), bytesArg(newKeyE), bytesArg(newKeyN))}, ""},
		{"a move with dirty padding", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: rotate[:len(rotate)-1] + "1"}, ""},
		{"a move with a trailing word", selfRequest("ja", Protection{}), CallInput{To: recoveryAddr, Data: execute + word32("0")}, ""},
	}...)
	tests[2].kind = KindSetGuardians
	for _, tt := range tests {
		s, err := Calls(tt.r, []CallInput{tt.call}, devFee)
		switch {
		case tt.kind == "" && err == nil:
			t.Errorf("%s: accepted as %s", tt.name, s.Calls[0].Kind)
		case tt.kind == "" && err.(*Error).Reason != ReasonBadCalls:
			t.Errorf("%s: %v, want BAD_CALLS", tt.name, err)
		case tt.kind != "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.kind != "" && s.Calls[0].Kind != tt.kind:
			t.Errorf("%s: kind %s, want %s", tt.name, s.Calls[0].Kind, tt.kind)
		}
	}
	// A site's refusal says why, for its developer.
	if _, err := Calls(site, []CallInput{{To: recoveryAddr, Data: good}}, devFee); err == nil || !strings.Contains(err.Error(), "only MynaConnect's own page") {
		t.Errorf("a site's call to the recovery contract: %v", err)
	}
}

func TestEverySheetOfTheAccountWarnsAboutItsProtection(t *testing.T) {
	const day = 24 * 3600
	now := int64(1_800_000_000)
	tests := []struct {
		name     string
		p        Protection
		lang     string
		warnings string
		texts    []string // in the sheet, in order
	}{
		{"nothing under way, far from renewal", Protection{Guardians: 1, CertificateNotAfter: now + 400*day, Now: now}, "ja", "", nil},
		{"a recovery under way", Protection{Guardians: 1, ChainTime: now, ExecuteAfter: now + 71*3600 + 1},
			"ja", "RECOVERY_PENDING", []string{"このアカウントを別のカードに移す手続きが進んでいます", "あと 72時間（3日） で、このアカウントは新しいカードのものになります。"}},
		{"a recovery that can run now", Protection{Guardians: 1, ChainTime: now, ExecuteAfter: now - 1},
			"en", "RECOVERY_PENDING", []string{"Your account is being moved to another card", "at any moment, this account will belong to the new card."}},
		{"renewal in 90 days, with guardians", Protection{Guardians: 2, CertificateNotAfter: now + 90*day, Now: now},
			"ja", "KEY_CHANGE_SOON", []string{"カードの更新が近づいています", "電子証明書の有効期限は 2027年4月15日 です。"}},
		{"renewal soon, no guardians", Protection{CertificateNotAfter: now + 10*day, Now: now},
			"en", "KEY_CHANGE_SOON,NO_GUARDIANS", []string{"Your card is due for renewal", "No guardians yet"}},
		{"expired, a recovery under way: the recovery first", Protection{ChainTime: now, ExecuteAfter: now + 3600, CertificateNotAfter: now - day, Now: now},
			"ja", "RECOVERY_PENDING,KEY_CHANGE_SOON,NO_GUARDIANS", []string{"あと 1時間 で"}},
		{"no clock, no renewal notice", Protection{CertificateNotAfter: now}, "ja", "", nil},
	}
	for _, tt := range tests {
		r := request(t, "https://example.com", tt.lang)
		r.Protection = &tt.p
		r.Protection.Recovery = recoveryAddr
		s, err := Message(r, "0x68656c6c6f")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if codes(s) != tt.warnings {
			t.Errorf("%s: warnings %s, want %s", tt.name, codes(s), tt.warnings)
		}
		text := Render(s).TextContent()
		at := 0
		for _, want := range tt.texts {
			i := strings.Index(text[at:], want)
			if i < 0 {
				t.Errorf("%s: %q missing (or out of order) in %q", tt.name, want, text)
				break
			}
			at += i + len(want)
		}
		if strings.Contains(tt.warnings, "RECOVERY_PENDING") {
			if role, _ := find(t, Render(s), "data-warning", "RECOVERY_PENDING").Attr("role"); role != "alert" {
				t.Errorf("%s: the pending recovery is not an alert", tt.name)
			}
		}
	}
}

func TestAProtectionTheExtensionCouldNotHaveSentIsRefused(t *testing.T) {
	for _, p := range []Protection{{Recovery: "0x12"}, {Recovery: recoveryAddr, Guardians: -1}, {Recovery: recoveryAddr, ExecuteAfter: -5}} {
		r := request(t, "https://example.com", "ja")
		r.Protection = &p
		if _, err := Message(r, "0x"); err == nil || err.(*Error).Reason != ReasonBadArguments {
			t.Errorf("protection %+v: %v, want BAD_ARGUMENTS", p, err)
		}
	}
	r := request(t, "https://example.com", "ja")
	r.Self = true
	if _, err := Message(r, "0x"); err == nil || err.(*Error).Reason != ReasonBadArguments {
		t.Errorf("both an origin and self: %v", err)
	}
}

// A guardian's approval is EIP-712 typed data for the recovery contract: a site that asks a guardian for one
// is phishing for the takeover of the account it names, and gets no sheet.
func TestASiteCannotAskAGuardianToApproveAMove(t *testing.T) {
	approval := `{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],` +
		`"Recovery":[{"name":"account","type":"address"},{"name":"newKeyHash","type":"bytes32"},{"name":"nonce","type":"uint256"}]},"primaryType":"Recovery",` +
		`"domain":{"name":"CardRecovery","version":"1","chainId":1337,"verifyingContract":"` + recoveryAddr + `"},` +
		`"message":{"account":"` + bob + `","newKeyHash":"0x` + strings.Repeat("5e", 32) + `","nonce":"1"}}`
	site := request(t, "https://example.com", "ja")
	site.Protection = &Protection{Recovery: recoveryAddr}
	_, err := TypedData(site, approval)
	if e, ok := err.(*Error); !ok || e.Reason != ReasonBadTypedData || !strings.Contains(e.Detail, "recovery contract") {
		t.Errorf("a site's request for a guardian's approval: %v, want BAD_TYPED_DATA", err)
	}
	// The same shape for another contract is ordinary typed data.
	elsewhere := strings.Replace(approval, recoveryAddr, other, 1)
	if _, err := TypedData(site, elsewhere); err != nil {
		t.Errorf("typed data for another contract: %v", err)
	}

	// MynaConnect's own page gathers a card guardian's approval: in plain words, with the red warning; any
	// other typed data for the recovery contract is refused even there.
	s, err := TypedData(selfRequest("ja", Protection{}), approval)
	if err != nil {
		t.Fatal(err)
	}
	root := Render(s)
	if text := find(t, root, "data-item", "signature").TextContent(); !strings.Contains(text, "見守り人として同意する署名") || !strings.Contains(text, bob) {
		t.Errorf("the guardian's approval reads %q", text)
	}
	if codes(s) != "GUARDIAN_APPROVAL" {
		t.Errorf("warnings %s, want GUARDIAN_APPROVAL", codes(s))
	}
	checkSafe(t, root)
	if _, err := TypedData(selfRequest("ja", Protection{}), strings.ReplaceAll(approval, "Recovery", "Rescue")); err == nil {
		t.Error("other typed data for the recovery contract was drawn for MynaConnect's page")
	}
}

// A guardian's sheet names the account it moves, the new card's check code to compare with its owner on the
// phone, and warns in red to agree only when asked in person; the owner's switch to a renewed card says the
// old card stops working.
func TestMovingAnAccountToANewCardIsShownInPlainWords(t *testing.T) {
	// The sending account (a guardian) approves by calling, its signature empty.
	start := abiCall("0xef16c405", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"), listArg(strings.ToLower(account[2:])), listArg(""))
	s, err := Calls(selfRequest("ja", Protection{}), []CallInput{{To: recoveryAddr, Data: start}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Calls[0]; c.Moved != other || c.KeyCheck != newKeyCheck || c.Approvals != 1 {
		t.Errorf("startRecovery read as %+v", c)
	}
	if codes(s) != "GUARDIAN_APPROVAL" {
		t.Errorf("warnings %s, want GUARDIAN_APPROVAL", codes(s))
	}
	root := Render(s)
	text := find(t, root, "data-call-kind", KindStartRecovery).TextContent()
	for _, want := range []string{"見守っている人のアカウントを新しいカードに移す手続きを始める", "お金は動きません", other, newKeyCheck, "1人（あなたを含む）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the guardian's item lacks %q: %q", want, text)
		}
	}
	checkSafe(t, root)

	// Sending a passkey's approval without one's own: the sheet does not count the sender.
	passkey := strings.Repeat("ab", 20) + strings.Repeat("cd", 64)
	forward := abiCall("0xef16c405", wordArg(other[2:]), bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"), listArg(passkey), listArg("beef"))
	s, err = Calls(selfRequest("ja", Protection{}), []CallInput{{To: recoveryAddr, Data: forward}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Calls[0]; c.ByCaller || c.Approvals != 1 {
		t.Errorf("a passkey's approval sent on read as %+v", c)
	}
	if text := find(t, Render(s), "data-field", "approvals").TextContent(); text != "1人" {
		t.Errorf("a passkey's approval sent on counts %q", text)
	}

	rotate := abiCall("0x27dd824b", bytesArg(newKeyE), bytesArg(newKeyN), bytesArg("ab"))
	s, err = Calls(selfRequest("en", Protection{}), []CallInput{{To: recoveryAddr, Data: rotate}}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	text = find(t, Render(s), "data-call-kind", KindRotateOwner).TextContent()
	for _, want := range []string{"This card can no longer use it", newKeyCheck} {
		if !strings.Contains(text, want) {
			t.Errorf("the switch lacks %q: %q", want, text)
		}
	}
	if strings.Contains(text, "Account to move") || codes(s) != "" {
		t.Errorf("the owner's own switch names another account or warns %s: %q", codes(s), text)
	}
}

// The renewed card's application names the account it takes over and the card's public key; only
// MynaConnect's own page may ask for it.
func TestTheNewCardsApplicationNamesTheAccount(t *testing.T) {
	pk := strings.Repeat("ab", 32)
	r := selfRequest("ja", Protection{})
	r.Protection = nil
	s, err := Handover(r, pk)
	if err != nil {
		t.Fatal(err)
	}
	root := Render(s)
	text := find(t, root, "data-item", "signature").TextContent()
	for _, want := range []string{"アカウントを引き継ぐための署名", account, "見守り人が同意し、待ち時間が過ぎると", "お金は動きません"} {
		if !strings.Contains(text, want) {
			t.Errorf("the application lacks %q: %q", want, text)
		}
	}
	if got := find(t, root, "data-section", "asker").TextContent(); !strings.Contains(got, "マイナコネクトがアカウントの引き継ぎの申し込みを求めています") {
		t.Errorf("asker %q", got)
	}
	checkSafe(t, root)
	if _, err := Handover(request(t, "https://example.com", "ja"), pk); err == nil {
		t.Error("a site's application was drawn")
	}
	if _, err := Handover(r, "12"); err == nil {
		t.Error("a public key fingerprint of one byte was drawn")
	}
}
