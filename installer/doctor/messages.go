package doctor

import "fmt"

// Finding codes. They are stable: the extension's onboarding page and
// support scripts match on them.
const (
	CodePCSCDRunning      = "PCSCD_RUNNING"
	CodePCSCDNotRunning   = "PCSCD_NOT_RUNNING"
	CodePCSCDNotInstalled = "PCSCD_NOT_INSTALLED"
	CodePCSCError         = "PCSC_ERROR"
	CodeReaderFound       = "READER_FOUND"
	CodeNoReader          = "NO_READER"
	CodeNoCard            = "NO_CARD"
	CodeCardReady         = "CARD_READY"
	CodeNotMyNumberCard   = "NOT_MYNUMBER_CARD"
	CodeCardMute          = "CARD_MUTE"
	CodeReaderBusy        = "READER_BUSY"
	CodeCardError         = "CARD_ERROR"
	CodePINOK             = "PIN_OK"
	CodePINLastTry        = "PIN_LAST_TRY"
	CodePINBlocked        = "PIN_BLOCKED"
	CodeNoBrowser         = "NO_BROWSER"
	CodeBrowserSandboxed  = "BROWSER_SANDBOXED"
	CodeManifestOK        = "MANIFEST_OK"
	CodeManifestMissing   = "MANIFEST_MISSING"
	CodeManifestInvalid   = "MANIFEST_INVALID"
	CodeHostBinaryMissing = "HOST_BINARY_MISSING"
	CodeHostNotExecutable = "HOST_NOT_EXECUTABLE"
	CodeExtensionNotAllow = "EXTENSION_NOT_ALLOWED"
	CodeHostOK            = "HOST_OK"
	CodeVersionMismatch   = "VERSION_MISMATCH"
	CodeHostNotWorking    = "HOST_NOT_WORKING"
)

// message is a finding's status and its two sentences, as format strings
// that take the same arguments in the same order.
type message struct {
	status Status
	ja, en string
}

const reinstall = "mynaconnect-install を実行してください（ソースからは make install）。"
const reinstallEn = `Run mynaconnect-install (from the source tree: make install).`

var messages = map[string]message{
	CodePCSCDRunning: {OK,
		"カードリーダーのサービス(pcscd)は動いています。",
		"The card reader service (pcscd) is running."},
	CodePCSCDNotRunning: {Fail,
		"カードリーダーのサービス(pcscd)が動いていません。端末で sudo systemctl start pcscd.socket を実行してから、もう一度お試しください。",
		"The card reader service (pcscd) is not running. Run sudo systemctl start pcscd.socket in a terminal, then try again."},
	// Elsewhere than Linux the service is the system's own; Windows stops
	// it while no reader is connected.
	CodePCSCDNotRunning + "/other": {Fail,
		"スマートカードのサービスに接続できません。カードリーダーを接続し直して、もう一度お試しください。",
		"The smart card service cannot be reached. Reconnect the card reader and try again."},
	CodePCSCDNotInstalled: {Fail,
		"カードリーダーのサービス(pcscd)がインストールされていません。端末で sudo apt-get install pcscd を実行してください。",
		"The card reader service (pcscd) is not installed. Run sudo apt-get install pcscd in a terminal."},
	CodePCSCError: {Fail,
		"カードリーダーのサービスがエラーを返しました。パソコンを再起動しても直らないときは、詳細を添えてお問い合わせください。",
		"The card reader service reported an error. If restarting the computer does not help, contact support with the detail below."},
	CodeReaderFound: {OK,
		"カードリーダーが見つかりました: %s",
		"Card reader found: %s"},
	CodeNoReader: {Fail,
		"カードリーダーが見つかりません。IC カードリーダーをパソコンに接続してください。",
		"No card reader found. Connect a smart card reader to this computer."},
	CodeNoCard: {Warn,
		"カードをリーダーに置いてください。",
		"Put your My Number card on the card reader."},
	CodeCardReady: {OK,
		"マイナンバーカードを確認しました（%s）。",
		"My Number card found (%s)."},
	CodeNotMyNumberCard: {Fail,
		"リーダーの上のカード（%s）はマイナンバーカードではありません。マイナンバーカードを置いてください。",
		"The card on the reader (%s) is not a My Number card. Put your My Number card on the reader."},
	CodeCardMute: {Fail,
		"カード（%s）が応答しません。カードの向きと裏表を確かめて、置き直してください。",
		"The card (%s) does not respond. Check which way round it is and put it on the reader again."},
	CodeReaderBusy: {Warn,
		"ほかのアプリがカード（%s）を使用中です。マイナポータルや JPKI 利用者ソフトなどを閉じてから、もう一度お試しください。",
		"Another program is using the card (%s). Close it (Mynaportal, the JPKI client software, ...) and try again."},
	CodeCardError: {Fail,
		"カード（%s）を読み取れませんでした。カードを置き直して、もう一度お試しください。",
		"The card (%s) could not be read. Put it on the reader again and retry."},
	CodePINOK: {OK,
		"利用者証明用暗証番号（数字4桁）はあと %d 回入力できます。",
		"The user authentication PIN (4 digits) has %d tries left."},
	CodePINLastTry: {Warn,
		"利用者証明用暗証番号（数字4桁）はあと 1 回でロックされます。番号が確かでないときは入力せず、お住まいの市区町村の窓口で確認してください。",
		"The user authentication PIN (4 digits) has 1 try left: one more mistake locks it. If you are not sure of it, do not try; ask at your municipal office."},
	CodePINBlocked: {Fail,
		"利用者証明用暗証番号（数字4桁）がロックされています。カードと本人確認書類を持って、お住まいの市区町村の窓口で暗証番号を再設定してください。",
		"The user authentication PIN (4 digits) is locked. Take the card and an ID to your municipal office (市区町村の窓口) to have the PIN reset."},
	CodeNoBrowser: {Warn,
		"対応するブラウザ（Google Chrome、Chromium、Microsoft Edge、Brave、Vivaldi、Firefox）が見つかりません。いずれかをインストールしてください。",
		"No supported browser found (Google Chrome, Chromium, Microsoft Edge, Brave, Vivaldi, Firefox). Install one of them."},
	CodeBrowserSandboxed: {Warn,
		"%s は %s 版のため、MynaConnect を使えません（サンドボックスの外のプログラムを起動できません）。ディストリビューションのパッケージ版の %[1]s を使ってください。",
		"%s is installed as a %s, whose sandbox cannot start programs outside it, so it cannot use MynaConnect. Use %[1]s from your distribution's packages instead."},
	CodeManifestOK: {OK,
		"%s に MynaConnect のホストが登録されています。",
		"MynaConnect's host is registered with %s."},
	CodeManifestMissing: {Fail,
		"%s に MynaConnect のホストが登録されていません。" + reinstall,
		"MynaConnect's host is not registered with %s. " + reinstallEn},
	CodeManifestInvalid: {Fail,
		"%s に登録された MynaConnect のホストの設定ファイルが壊れています。" + reinstall,
		"The MynaConnect host manifest for %s is damaged. " + reinstallEn},
	CodeHostBinaryMissing: {Fail,
		"%s の登録が指すホストのプログラムがありません。" + reinstall,
		"The host program that %s's registration names is missing. " + reinstallEn},
	CodeHostNotExecutable: {Fail,
		"%s の登録が指すホストのプログラムを実行できません。" + reinstall,
		"The host program that %s's registration names cannot be run. " + reinstallEn},
	CodeExtensionNotAllow: {Fail,
		"%s の登録が MynaConnect の拡張機能（ID %s）を許可していません。mynaconnect-install --extension-id %[2]s を実行してください。",
		"%s's registration does not allow the MynaConnect extension (id %s). Run mynaconnect-install --extension-id %[2]s."},
	CodeHostOK: {OK,
		"ホスト（バージョン %s）は拡張機能（バージョン %s）と通信できます。",
		"The host (version %s) works with the extension (version %s)."},
	CodeVersionMismatch: {Fail,
		"ホスト（バージョン %s）と拡張機能（バージョン %s）の組み合わせには互換性がありません。両方を最新版に更新してください。",
		"The host (version %s) and the extension (version %s) do not work together. Update both to the latest version."},
	CodeHostNotWorking: {Fail,
		"ホストのプログラムが正しく動きません。" + reinstall,
		"The host program does not work. " + reinstallEn},
}

// finding makes the finding for code, its sentences filled with args.
func finding(code, subject, detail string, args ...any) Finding {
	return findingAs(code, code, subject, detail, args...)
}

// findingAs is finding with the sentences of another message key (a
// variant of the code's sentences for another operating system).
func findingAs(code, key, subject, detail string, args ...any) Finding {
	m, ok := messages[key]
	if !ok {
		panic("doctor: no message for " + key)
	}
	return Finding{Code: code, Status: m.status, Subject: subject, Detail: detail,
		Ja: fmt.Sprintf(m.ja, args...), En: fmt.Sprintf(m.en, args...)}
}
