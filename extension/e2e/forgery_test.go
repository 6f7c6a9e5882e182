package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// forgerPage is a page that watches every MynaConnect message on its own
// window: window.__answers[id] is the list of 'to-page' answers seen for id.
// The listener uses nothing the test redefines later.
const forgerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>forger</title></head>
<body><h1>A page that forges MynaConnect messages</h1>
<script>
(() => {
  const answers = Object.create(null);
  window.__answers = answers;
  window.addEventListener('message', (ev) => {
    const d = ev.data;
    if (!d || d.channel !== 'mynaconnect' || d.dir !== 'to-page' || typeof d.id !== 'string') return;
    const list = answers[d.id] || (answers[d.id] = []);
    list[list.length] = d;
  });
})();
</script></body></html>`

const bank = "https://bank.example"

// uuid4 is an id of the form the bridge accepts.
func uuid4() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// post posts msg on the page's own window, as page script can.
func post(tb testing.TB, page context.Context, msg map[string]any) {
	tb.Helper()
	b, err := json.Marshal(msg)
	if err != nil {
		tb.Fatal(err)
	}
	eval[bool](tb, page, `(window.postMessage(`+string(b)+`, '*'), true)`)
}

// forged is a 'to-extension' request the page makes up, params given as
// the JSON text the envelope carries.
func forged(id, method, params string) map[string]any {
	return map[string]any{"channel": "mynaconnect", "dir": "to-extension", "id": id, "method": method, "params": params}
}

type pageAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code int `json:"code"`
		Data struct {
			Reason string `json:"reason"`
		} `json:"data"`
	} `json:"error"`
}

// answer waits for the first 'to-page' answer to id that did not come from
// the test itself (skip counts the forged ones posted before it).
func answer(tb testing.TB, page context.Context, id string, skip int) pageAnswer {
	tb.Helper()
	q := strconv.Quote(id)
	waitTrue(tb, page, `(window.__answers[`+q+`]?.length ?? 0) > `+strconv.Itoa(skip))
	return eval[pageAnswer](tb, page, `window.__answers[`+q+`][`+strconv.Itoa(skip)+`]`)
}

func TestForgedMessagesCannotChangeTheOriginOrSign(t *testing.T) {
	card := vcardtest.NewCard(t, nil)
	e := newEnv(t, envOptions{card: card})
	forger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, forgerPage)
	}))
	t.Cleanup(forger.Close)
	origin := forger.URL // http://127.0.0.1:<port>, the page's real origin
	page := e.tab(origin + "/")
	waitTrue(t, page, `window.ethereum?.isMynaConnect && window.__answers`)
	nonce := newNonce()

	// (a) Requests the page makes up itself, claiming another origin.
	t.Run("origin in the params", func(t *testing.T) {
		id := uuid4()
		post(t, page, forged(id, "mynaconnect_authenticate", `[{"challengeNonce":"`+nonce+`","origin":"`+bank+`"}]`))
		if a := answer(t, page, id, 0); a.Error == nil || a.Error.Code != -32602 || a.Error.Data.Reason != "INVALID_PARAMS" {
			t.Errorf("answer %+v, want -32602 INVALID_PARAMS", a)
		}
	})
	t.Run("params as an object with an origin", func(t *testing.T) {
		id := uuid4()
		post(t, page, forged(id, "mynaconnect_authenticate", `{"challengeNonce":"`+nonce+`","origin":"`+bank+`"}`))
		if a := answer(t, page, id, 0); a.Error == nil || a.Error.Data.Reason != "INVALID_PARAMS" {
			t.Errorf("answer %+v, want INVALID_PARAMS", a)
		}
	})
	t.Run("the host's own authenticate with a PIN", func(t *testing.T) {
		id := uuid4()
		params := `{"origin":"` + bank + `","challengeNonce":"` + nonce + `","pin":"` + rightPIN + `","certificateSha256":"` + strings.Repeat("00", 32) + `"}`
		post(t, page, forged(id, "authenticate", params))
		if a := answer(t, page, id, 0); a.Error == nil || a.Error.Code != 4200 || a.Error.Data.Reason != "UNSUPPORTED_METHOD" {
			t.Errorf("answer %+v, want 4200 UNSUPPORTED_METHOD", a)
		}
	})
	if n := len(e.consentTargets()); n != 0 {
		t.Fatalf("%d consent windows opened for malformed forged requests", n)
	}

	// A well-formed request with another origin written all over its
	// envelope: the extension takes the origin from the browser.
	id := uuid4()
	msg := forged(id, "mynaconnect_authenticate", `[{"challengeNonce":"`+nonce+`"}]`)
	msg["origin"] = bank
	msg["url"] = bank + "/login"
	msg["sender"] = map[string]any{"origin": bank, "url": bank + "/login", "frameId": 0}
	post(t, page, msg)
	consent := e.consent()
	e.step(consent, "sheet")
	e.shot(consent, "sheet-for-a-forged-request")
	checkSheetNames(t, consent, origin, "bank.example")

	// (b) Fake answers and events posted to itself while the window is
	// open: the page fools only itself; the extension does not hear them.
	fakes := []map[string]any{
		{"channel": "mynaconnect", "dir": "to-page", "id": id, "result": map[string]any{"signature": "forged"}},
		{"channel": "mynaconnect", "dir": "to-page", "id": id, "error": map[string]any{"code": 4001, "message": "x", "data": map[string]any{"reason": "USER_REJECTED"}}},
		{"channel": "mynaconnect", "dir": "to-page", "event": "accountsChanged", "data": []string{"0x0"}},
		{"channel": "mynaconnect", "dir": "to-page", "type": "finish", "reason": "USER_REJECTED"},
		{"channel": "mynaconnect", "dir": "to-page", "type": "op", "id": 1, "op": "authenticate", "pin": rightPIN},
	}
	for _, f := range fakes {
		post(t, page, f)
	}
	e.step(consent, "sheet")
	checkSheetNames(t, consent, origin, "bank.example")
	if n := len(e.consentTargets()); n != 1 {
		t.Errorf("%d consent windows are open, want 1", n)
	}
	if n := card.Count(insSign); n != 0 {
		t.Fatalf("the card received %d SIGN commands without approval", n)
	}
	e.cancelConsent(consent)
	if a := answer(t, page, id, 2); a.Error == nil || a.Error.Data.Reason != "USER_REJECTED" {
		t.Errorf("the extension's answer to the forged request: %+v, want USER_REJECTED", a)
	}
	e.waitClosed(consent)

	// (c) Built-ins redefined after the provider started.
	eval[bool](t, page, `(() => {
		const bank = `+strconv.Quote(bank)+`;
		const realPost = window.postMessage;
		window.postMessage = function (m) {
			return realPost.call(window, {...m, origin: bank, params: '[{"challengeNonce":"x","origin":"' + bank + '"}]'}, '*');
		};
		window.JSON = {stringify: () => '[{"origin":"' + bank + '"}]', parse: () => ({origin: bank})};
		window.Promise = function () { throw new Error('Promise was replaced'); };
		Object.defineProperty(Object.prototype, 'origin', {get() { return bank; }, configurable: true});
		Map.prototype.get = function () { return undefined; };
		Map.prototype.set = function () { return this; };
		Array.prototype.push = function () { return 0; };
		crypto.randomUUID = () => '00000000-0000-4000-8000-000000000000';
		crypto.getRandomValues = (a) => a;
		window.addEventListener = () => {};
		window.dispatchEvent = () => true;
		Object.defineProperty(MessageEvent.prototype, 'source', {get() { return null; }, configurable: true});
		Object.defineProperty(MessageEvent.prototype, 'data', {get() { return {origin: bank}; }, configurable: true});
		return true;
	})()`)
	if n := card.Count(insSign); n != 0 {
		t.Fatalf("the card received %d SIGN commands without approval", n)
	}

	// A real request still works, and is for the real origin.
	startRequest(t, page, "real", "mynaconnect_authenticate", []any{map[string]string{"challengeNonce": nonce}})
	consent = e.consent()
	e.step(consent, "sheet")
	checkSheetNames(t, consent, origin, "bank.example")
	e.approve(consent)
	e.typePIN(consent, rightPIN, false)
	r := requestResult(t, page, "real")
	if !r.OK {
		t.Fatalf("the real request after the redefinitions: %v", r)
	}
	checkSignedFor(t, r.Result, origin, nonce, bank)
	if n := card.Count(insSign); n != 1 {
		t.Errorf("the card received %d SIGN commands, want 1 (the approved one)", n)
	}
}
