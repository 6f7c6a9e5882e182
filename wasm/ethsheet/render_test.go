package ethsheet

import (
	"strings"
	"testing"
)

func TestRenderConnect(t *testing.T) {
	pk := strings.Repeat("ab", 32)
	for _, lang := range []string{"ja", "en"} {
		r := request(t, "https://myconnect-lib.netlify.app", lang)
		r.FirstSeen = true
		s, err := Connect(r, pk)
		if err != nil {
			t.Fatal(err)
		}
		root := Render(s)
		if v, _ := root.Attr("data-sheet"); v != "connect" {
			t.Fatalf("data-sheet=%q", v)
		}
		find(t, root, "data-badge", "first-visit")
		acct := find(t, root, "data-field", "account")
		if acct.TextContent() != account || len(acct.Children) != 11 {
			t.Errorf("account shown as %q in %d groups", acct.TextContent(), len(acct.Children))
		}
		if got := find(t, root, "data-field", "chain").TextContent(); got != "MynaConnect dev chain" {
			t.Errorf("chain %q", got)
		}
		if got := find(t, root, "data-field", "publicKeySha256").TextContent(); got != pk {
			t.Errorf("public key %q", got)
		}
		notSent := find(t, root, "data-section", "not-sent")
		for _, item := range []string{"myNumber", "personal", "certificate"} {
			find(t, notSent, "data-item", item)
		}
		title := find(t, root, "class", "mc-title").TextContent()
		pkNote := find(t, root, "data-item", "publicKey").TextContent()
		if lang == "ja" {
			if title != "myconnect-lib.netlify.appがアカウントへの接続を求めています" {
				t.Errorf("title %q", title)
			}
			if !strings.Contains(pkNote, "公開鍵がサイトとブロックチェーン上で") || !strings.Contains(pkNote, "すべて同じ持ち主") {
				t.Errorf("public key notice %q", pkNote)
			}
			if got := notSent.TextContent(); got != "以下の内容は送信されません個人番号氏名、住所、性別、生年月日電子証明書そのもの" {
				t.Errorf("not sent %q", got)
			}
			if got := find(t, root, "data-section", "question").TextContent(); got != "呼び出し元のURLは https://myconnect-lib.netlify.app で間違いありませんか？" {
				t.Errorf("question %q", got)
			}
		} else if title != "myconnect-lib.netlify.app wants to connect to your account" {
			t.Errorf("title %q", title)
		}
		checkSafe(t, root)
	}
	if _, err := Connect(request(t, "https://example.com", "ja"), "abc"); err == nil || err.(*Error).Reason != ReasonBadArguments {
		t.Errorf("bad public key hash: %v", err)
	}
}

func TestRenderMessage(t *testing.T) {
	s, err := Message(request(t, "https://evil.example", "ja"), hexOf(siwe("bank.example", "https://bank.example/")))
	if err != nil {
		t.Fatal(err)
	}
	root := Render(s)
	sig := find(t, root, "data-item", "signature")
	if v, _ := sig.Attr("data-encoding"); v != "text" {
		t.Errorf("data-encoding=%q", v)
	}
	box := find(t, sig, "data-field", "message")
	if box.TextContent() != siwe("bank.example", "https://bank.example/") {
		t.Errorf("message box %q", box.TextContent())
	}
	if class, _ := box.Attr("class"); !strings.Contains(class, "mc-block") {
		t.Errorf("message box class %q", class)
	}
	w := find(t, root, "data-warning", "SIWE_MISMATCH")
	if role, _ := w.Attr("role"); role != "alert" || !strings.Contains(w.TextContent(), "「bank.example」へのログイン用です") {
		t.Errorf("warning role %q text %q", role, w.TextContent())
	}
	if got := find(t, sig, "data-field", "bytes").TextContent(); got != "227バイト" {
		t.Errorf("length %q", got)
	}
	find(t, root, "data-item", "account")
	find(t, root, "data-item", "publicKey")
	checkSafe(t, root)

	s, _ = Message(request(t, "https://example.com", "en"), "0x00ff")
	root = Render(s)
	if v, _ := find(t, root, "data-item", "signature").Attr("data-encoding"); v != "hex" {
		t.Errorf("binary message data-encoding=%q", v)
	}
	if got := find(t, root, "data-warning", "BINARY_MESSAGE").TextContent(); !strings.HasPrefix(got, "This message is not readable text") {
		t.Errorf("binary warning %q", got)
	}
}

func TestRenderTypedData(t *testing.T) {
	s, err := TypedData(request(t, "https://example.com", "ja"), typed("1"))
	if err != nil {
		t.Fatal(err)
	}
	root := Render(s)
	find(t, root, "data-warning", "CHAIN_MISMATCH")
	if got := find(t, root, "data-field", "verifyingContract").TextContent(); got != "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC" {
		t.Errorf("verifyingContract %q", got)
	}
	tree := find(t, root, "data-field", "typedMessage")
	if got := find(t, tree, "data-path", "to.1.wallets.1").TextContent(); got != "20xB0B0b0b0b0b0B000000000000000000000000000" {
		t.Errorf("nested array entry %q", got)
	}
	if v, _ := find(t, tree, "data-path", "to.1").Attr("data-type"); v != "Person" {
		t.Errorf("data-type %q", v)
	}
	if got := find(t, tree, "data-path", "amount").TextContent(); got != "amount1,000,000,000,000,000,000,000" {
		t.Errorf("amount %q", got)
	}
	checkSafe(t, root)
}

func TestRenderCalls(t *testing.T) {
	s, err := Calls(request(t, "https://example.com", "ja"), []CallInput{
		{To: bob, Value: "0x6f05b59d3b20000"},
		{To: jpyc, Data: "0x095ea7b3" + word32(bob[2:]) + strings.Repeat("f", 64)},
		{To: account, Data: "0x"},
	}, devFee)
	if err != nil {
		t.Fatal(err)
	}
	root := Render(s)
	if got := find(t, root, "data-field", "batch").TextContent(); !strings.Contains(got, "どれも実行されない") {
		t.Errorf("batch %q", got)
	}
	calls := findAll(root, "data-item", "call")
	kinds := []string{}
	for _, c := range calls {
		k, _ := c.Attr("data-call-kind")
		kinds = append(kinds, k)
	}
	if strings.Join(kinds, ",") != "native,erc20-approve,self" {
		t.Errorf("kinds %v", kinds)
	}
	if got := find(t, calls[0], "data-field", "amount").TextContent(); got != "0.5 ETH" {
		t.Errorf("native amount %q", got)
	}
	if got := find(t, calls[0], "data-field", "to").TextContent(); got != bob {
		t.Errorf("to %q", got)
	}
	if !strings.Contains(calls[0].TextContent(), "送信先") || !strings.Contains(calls[0].TextContent(), "金額") {
		t.Errorf("native call words %q", calls[0].TextContent())
	}
	if v, _ := calls[1].Attr("data-unlimited"); v != "true" || find(t, calls[1], "data-field", "amount").TextContent() != "無制限" {
		t.Errorf("unlimited approve: data-unlimited=%q", v)
	}
	for _, code := range []string{"UNLIMITED_APPROVAL", "CALL_TO_SELF"} {
		w := find(t, root, "data-warning", code)
		if role, _ := w.Attr("role"); role != "alert" {
			t.Errorf("%s role %q", code, role)
		}
	}
	sent := find(t, root, "data-section", "sent")
	if !strings.HasPrefix(sent.TextContent(), "以下の内容が送信されます") {
		t.Errorf("sent heading: %q", sent.TextContent()[:40])
	}
	checkSafe(t, root)
}
