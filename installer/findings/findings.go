// Package findings is the catalog of what `mynaconnect doctor` can find:
// each finding's stable code, how bad it is, and the sentence in Japanese
// and in English that says what to do.
//
// It is the one source of those sentences. The doctor (installer/doctor)
// fills them in for its report; the extension's build (extension/build)
// writes the ones the onboarding page needs into the page's bundle
// (Onboarding), so that the page tells a person whose host is missing
// exactly what the doctor would. It imports nothing but fmt and sort: the
// build, which runs wherever the extension is built, must not pull in
// PC/SC or cgo through it.
package findings

import (
	"fmt"
	"sort"
)

// Status says how bad a finding is.
type Status string

const (
	OK   Status = "ok"   // works
	Warn Status = "warn" // works, but needs attention (no card yet, one PIN try left)
	Fail Status = "fail" // MynaConnect cannot work until this is fixed
)

// Finding codes. They are stable: the extension's onboarding page and
// support scripts match on them.
const (
	PCSCDRunning        = "PCSCD_RUNNING"
	PCSCDNotRunning     = "PCSCD_NOT_RUNNING"
	PCSCDNotInstalled   = "PCSCD_NOT_INSTALLED"
	PCSCError           = "PCSC_ERROR"
	ReaderFound         = "READER_FOUND"
	NoReader            = "NO_READER"
	NoCard              = "NO_CARD"
	CardReady           = "CARD_READY"
	NotMyNumberCard     = "NOT_MYNUMBER_CARD"
	CardMute            = "CARD_MUTE"
	ReaderBusy          = "READER_BUSY"
	CardError           = "CARD_ERROR"
	PINOK               = "PIN_OK"
	PINLastTry          = "PIN_LAST_TRY"
	PINBlocked          = "PIN_BLOCKED"
	NoBrowser           = "NO_BROWSER"
	BrowserSandboxed    = "BROWSER_SANDBOXED"
	ManifestOK          = "MANIFEST_OK"
	ManifestMissing     = "MANIFEST_MISSING"
	ManifestInvalid     = "MANIFEST_INVALID"
	HostBinaryMissing   = "HOST_BINARY_MISSING"
	HostNotExecutable   = "HOST_NOT_EXECUTABLE"
	ExtensionNotAllowed = "EXTENSION_NOT_ALLOWED"
	HostOK              = "HOST_OK"
	VersionMismatch     = "VERSION_MISMATCH"
	HostNotWorking      = "HOST_NOT_WORKING"
	// DevelopmentExtensionAllowed: a registration allows the unpacked
	// build's id, whose key is public.
	DevelopmentExtensionAllowed = "DEVELOPMENT_EXTENSION_ALLOWED"

	// The Ethereum networks of the chain configuration.
	ChainsNone          = "CHAINS_NONE"
	ChainsInvalid       = "CHAINS_INVALID"
	ChainOK             = "CHAIN_OK"
	ChainUnreachable    = "CHAIN_UNREACHABLE"
	ChainIDMismatch     = "CHAIN_ID_MISMATCH"
	EntryPointMissing   = "ENTRYPOINT_MISSING"
	FactoryMissing      = "FACTORY_MISSING"
	FactoryNotPublished = "FACTORY_NOT_PUBLISHED"
	ContractCodeDiffers = "CONTRACT_CODE_DIFFERS"
	BundlerOK           = "BUNDLER_OK"
	BundlerUnreachable  = "BUNDLER_UNREACHABLE"
	BundlerMismatch     = "BUNDLER_MISMATCH"
	PaymasterOK         = "PAYMASTER_OK"
	PaymasterInvalid    = "PAYMASTER_INVALID"
	PaymasterUnfunded   = "PAYMASTER_UNFUNDED"
)

// PCSCDNotRunningOther is the message key of PCSCD_NOT_RUNNING's sentences
// elsewhere than Linux, where the service is the system's own (Windows
// stops it while no reader is connected).
const PCSCDNotRunningOther = PCSCDNotRunning + "/other"

// Message is a finding's status and its two sentences, as fmt format
// strings that take the same arguments in the same order.
type Message struct {
	Status Status
	Ja, En string
}

// Format fills both sentences with args.
func (m Message) Format(args ...any) (ja, en string) {
	return fmt.Sprintf(m.Ja, args...), fmt.Sprintf(m.En, args...)
}

const reinstall = "mynaconnect-install を実行してください（ソースからは make install）。"
const reinstallEn = `Run mynaconnect-install (from the source tree: make install).`

var messages = map[string]Message{
	PCSCDRunning: {OK,
		"カードリーダーのサービス(pcscd)は動いています。",
		"The card reader service (pcscd) is running."},
	PCSCDNotRunning: {Fail,
		"カードリーダーのサービス(pcscd)が動いていません。端末で sudo systemctl start pcscd.socket を実行してから、もう一度お試しください。",
		"The card reader service (pcscd) is not running. Run sudo systemctl start pcscd.socket in a terminal, then try again."},
	PCSCDNotRunningOther: {Fail,
		"スマートカードのサービスに接続できません。カードリーダーを接続し直して、もう一度お試しください。",
		"The smart card service cannot be reached. Reconnect the card reader and try again."},
	PCSCDNotInstalled: {Fail,
		"カードリーダーのサービス(pcscd)がインストールされていません。端末で sudo apt-get install pcscd を実行してください。",
		"The card reader service (pcscd) is not installed. Run sudo apt-get install pcscd in a terminal."},
	PCSCError: {Fail,
		"カードリーダーのサービスがエラーを返しました。パソコンを再起動しても直らないときは、詳細を添えてお問い合わせください。",
		"The card reader service reported an error. If restarting the computer does not help, contact support with the detail below."},
	ReaderFound: {OK,
		"カードリーダーが見つかりました: %s",
		"Card reader found: %s"},
	NoReader: {Fail,
		"カードリーダーが見つかりません。IC カードリーダーをパソコンに接続してください。",
		"No card reader found. Connect a smart card reader to this computer."},
	NoCard: {Warn,
		"カードをリーダーに置いてください。",
		"Put your My Number card on the card reader."},
	CardReady: {OK,
		"マイナンバーカードを確認しました（%s）。",
		"My Number card found (%s)."},
	NotMyNumberCard: {Fail,
		"リーダーの上のカード（%s）はマイナンバーカードではありません。マイナンバーカードを置いてください。",
		"The card on the reader (%s) is not a My Number card. Put your My Number card on the reader."},
	CardMute: {Fail,
		"カード（%s）が応答しません。カードの向きと裏表を確かめて、置き直してください。",
		"The card (%s) does not respond. Check which way round it is and put it on the reader again."},
	ReaderBusy: {Warn,
		"ほかのアプリがカード（%s）を使用中です。マイナポータルや JPKI 利用者ソフトなどを閉じてから、もう一度お試しください。",
		"Another program is using the card (%s). Close it (Mynaportal, the JPKI client software, ...) and try again."},
	CardError: {Fail,
		"カード（%s）を読み取れませんでした。カードを置き直して、もう一度お試しください。",
		"The card (%s) could not be read. Put it on the reader again and retry."},
	PINOK: {OK,
		"利用者証明用暗証番号（数字4桁）はあと %d 回入力できます。",
		"The user authentication PIN (4 digits) has %d tries left."},
	PINLastTry: {Warn,
		"利用者証明用暗証番号（数字4桁）はあと 1 回でロックされます。番号が確かでないときは入力せず、お住まいの市区町村の窓口で確認してください。",
		"The user authentication PIN (4 digits) has 1 try left: one more mistake locks it. If you are not sure of it, do not try; ask at your municipal office."},
	PINBlocked: {Fail,
		"利用者証明用暗証番号（数字4桁）がロックされています。カードと本人確認書類を持って、お住まいの市区町村の窓口で暗証番号を再設定してください。",
		"The user authentication PIN (4 digits) is locked. Take the card and an ID to your municipal office (市区町村の窓口) to have the PIN reset."},
	NoBrowser: {Warn,
		"対応するブラウザ（Google Chrome、Chromium、Microsoft Edge、Brave、Vivaldi、Firefox）が見つかりません。いずれかをインストールしてください。",
		"No supported browser found (Google Chrome, Chromium, Microsoft Edge, Brave, Vivaldi, Firefox). Install one of them."},
	BrowserSandboxed: {Warn,
		"%s は %s 版のため、MynaConnect を使えません（サンドボックスの外のプログラムを起動できません）。ディストリビューションのパッケージ版の %[1]s を使ってください。",
		"%s is installed as a %s, whose sandbox cannot start programs outside it, so it cannot use MynaConnect. Use %[1]s from your distribution's packages instead."},
	ManifestOK: {OK,
		"%s に MynaConnect のホストが登録されています。",
		"MynaConnect's host is registered with %s."},
	ManifestMissing: {Fail,
		"%s に MynaConnect のホストが登録されていません。" + reinstall,
		"MynaConnect's host is not registered with %s. " + reinstallEn},
	ManifestInvalid: {Fail,
		"%s に登録された MynaConnect のホストの設定ファイルが壊れています。" + reinstall,
		"The MynaConnect host manifest for %s is damaged. " + reinstallEn},
	HostBinaryMissing: {Fail,
		"%s の登録が指すホストのプログラムがありません。" + reinstall,
		"The host program that %s's registration names is missing. " + reinstallEn},
	HostNotExecutable: {Fail,
		"%s の登録が指すホストのプログラムを実行できません。" + reinstall,
		"The host program that %s's registration names cannot be run. " + reinstallEn},
	ExtensionNotAllowed: {Fail,
		"%s の登録が MynaConnect の拡張機能（ID %s）を許可していません。mynaconnect-install をもう一度実行してください（ストア以外から入れた Chrome 系の拡張機能なら --extension-id %[2]s を付けてください）。",
		"%s's registration does not allow the MynaConnect extension (id %s). Run mynaconnect-install again (for a Chrome-family extension from elsewhere than the store, add --extension-id %[2]s)."},
	DevelopmentExtensionAllowed: {Warn,
		"%s の登録は、開発用の拡張機能（ID %s）も許可しています。この ID は誰でも名乗れるため、見知らぬ拡張機能がカードでのログインを求められます。開発用でなければ、mynaconnect-install を --development-extension なしで実行し直してください。",
		"%s's registration also allows the development extension (id %s). Anyone's unpacked extension can take that id and ask for logins with your card. Unless this is a development machine, run mynaconnect-install again without --development-extension."},
	HostOK: {OK,
		"ホスト（バージョン %s）は拡張機能（バージョン %s）と通信できます。",
		"The host (version %s) works with the extension (version %s)."},
	VersionMismatch: {Fail,
		"ホスト（バージョン %s）と拡張機能（バージョン %s）の組み合わせには互換性がありません。両方を最新版に更新してください。",
		"The host (version %s) and the extension (version %s) do not work together. Update both to the latest version."},
	HostNotWorking: {Fail,
		"ホストのプログラムが正しく動きません。" + reinstall,
		"The host program does not work. " + reinstallEn},
	ChainsNone: {OK,
		"Ethereum のネットワークは設定されていません（%s）。ログインは使えます。アカウントを使うときは、この場所に設定ファイルを置いてください。",
		"No Ethereum network is configured (%s). Logins work. To use an account, put a configuration file there."},
	ChainsInvalid: {Fail,
		"ネットワークの設定ファイル（%s）を読めません。書き方を確かめてください。",
		"The network configuration (%s) cannot be read. Check how it is written."},
	ChainOK: {OK,
		"%s（チェーンID %d）につながります。EntryPoint とアカウントの工場(factory)もあります。",
		"%s (chain ID %d) answers, and has the EntryPoint and the account factory."},
	ChainUnreachable: {Fail,
		"%s の接続先(rpcUrl)につながりません。アドレスとインターネット接続を確かめてください。",
		"%s cannot be reached at its rpcUrl. Check the address and the internet connection."},
	ChainIDMismatch: {Fail,
		"%s の接続先は別のネットワーク（チェーンID %d）です。設定のチェーンID %d に合う rpcUrl にしてください。",
		"%s's rpcUrl serves another network (chain ID %d). Use an rpcUrl for chain ID %d, as configured."},
	EntryPointMissing: {Fail,
		"%s には EntryPoint v0.8（%s）がありません。このネットワークでは送金できません。",
		"%s has no EntryPoint v0.8 (%s). Nothing can be sent on this network."},
	FactoryMissing: {Fail,
		"%s にはマイナコネクトのアカウントの工場(factory %s)がありません。配置するか、公開アドレス（docs/contracts.md）を確かめてください。",
		"%s has no MynaConnect account factory (%s). Deploy it, or check the published address (docs/contracts.md)."},
	FactoryNotPublished: {Warn,
		"%s の工場(factory %s)は公開されたもの（%s）と違います。ここで作るアカウントは、ほかのネットワークの同じカードのアカウントと別のアドレスになります。",
		"%s's factory (%s) is not the published one (%s). Accounts made with it have other addresses than the same card's elsewhere."},
	ContractCodeDiffers: {Fail,
		"%s の %s（%s）は、公開されたものと違うコードです。このネットワークを使わず、mynaconnect contracts verify で確かめてください。",
		"%s's %s (%s) holds other code than the published contract. Do not use this network; check it with mynaconnect contracts verify."},
	BundlerOK: {OK,
		"%s のバンドラーは、このネットワークと EntryPoint v0.8 に対応しています。",
		"%s's bundler serves this network and EntryPoint v0.8."},
	BundlerUnreachable: {Fail,
		"%s のバンドラー(bundlerUrl)につながりません。アドレスを確かめてください。",
		"%s's bundler cannot be reached at its bundlerUrl. Check the address."},
	BundlerMismatch: {Fail,
		"%s のバンドラーは、このネットワークか EntryPoint v0.8 に対応していません。対応するバンドラーの bundlerUrl にしてください。",
		"%s's bundler does not serve this network or EntryPoint v0.8. Use a bundlerUrl that does."},
	PaymasterOK: {OK,
		"%s の手数料の支払い先(feePaymaster)は、%s で手数料を受け取り、預け入れと担保があります（1 ETH あたり %s 円）。",
		"%s's fee paymaster takes fees in %s and has a deposit and a stake (¥%s per ETH)."},
	PaymasterInvalid: {Fail,
		"%s の feePaymaster（%s）は、設定のトークンで手数料を受け取る JPYC 手数料ペイマスターではありません。アドレスとトークンを確かめてください。",
		"%s's feePaymaster (%s) is not a JPYC fee paymaster for the configured token. Check the address and the token."},
	PaymasterUnfunded: {Fail,
		"%s の feePaymaster（%s）には、ETH の預け入れか担保がありません。ETH を持たないアカウントは送金できません。運営者に mynaconnect paymaster deposit / stake を頼んでください。",
		"%s's feePaymaster (%s) has no ETH deposit or no stake: accounts without ETH cannot send. Ask its operator to run mynaconnect paymaster deposit / stake."},
}

// Lookup returns the message of a code, or of a variant key such as
// PCSCDNotRunningOther.
func Lookup(key string) (Message, bool) {
	m, ok := messages[key]
	return m, ok
}

// Keys lists every message key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
