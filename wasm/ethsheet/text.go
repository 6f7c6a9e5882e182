package ethsheet

import "strconv"

// texts holds every string the Ethereum sheets show in one language.
// Japanese first, in the words of the product's mock screens (送信先, 金額,
// 以下の内容が送信されます); the English says the same thing, not more.
type texts struct {
	titles [5]string // by sheet kind (sheetKinds), after the site name

	account, accountNote, address, network string
	publicKey, fingerprint                 string
	publicKeyConnect, publicKeySign        string
	certificate                            string

	signMessage, signNote, message, length, empty string
	signData, domainName, domainVersion           string
	domainChainID, verifyingContract, domainSalt  string
	primaryType, content                          string
	siweBadge                                     string // after the site name

	calls           [12]string // by call kind (callKinds)
	to, recipient   string
	spender, from   string
	target          string
	amount, limit   string
	unlimited       string
	token, contract string
	unknownToken    string
	rawUnit         string
	value, data     string
	approveNote     string
	txSignature     string
	txSignatureNote string
	fee, feeNote    string
	maxFee          string
	// The fee in a yen token, through a paymaster.
	feeInToken                func(symbol string) string
	feeInTokenNote, paymaster string
	gasLimit                  string

	// Changes to the account's protection (protection.go).
	guardian                             string
	threshold, delay                     string
	guardiansNote, guardiansLater        string
	cancelRecoveryNote, cancelChangeNote string
	quorum                               func(m, n int) string
	hours                                func(h int) string
	remaining                            func(seconds int64) string
	pendingBefore, pendingAfter          string
	pendingNow                           string
	expiryBefore, expiryAfter            string
	// Handing an account to a new card: the owner's renewal, a guardian's
	// approval and its completion, and the new card's own request.
	rotateNote, startNote, executeNote string
	moved, keyCheck, approvals         string
	approvalsCount                     func(n int, you bool) string
	handover, handoverNote             string
	approvalNote                       string

	warnings                [12][2]string // title, text; in the order of the warnings table (build.go)
	siweBefore, siweAfter   string
	chainBefore, chainAfter string
	bytes                   func(n int) string
	batch                   func(n int) string
	fiat                    func(amount, code string) string
	chainID                 func(id, name string) string
}

var ja = texts{
	titles: [5]string{
		"がアカウントへの接続を求めています",
		"が電子署名を求めています",
		"が電子署名を求めています",
		"が取引の送信を求めています",
		"がアカウントの引き継ぎの申し込みを求めています",
	},

	account:          "あなたのアカウント",
	accountNote:      "このカードのアカウントです。サイトは、このアドレスの残高や取引の記録を見られるようになります。",
	address:          "アドレス",
	network:          "ネットワーク",
	publicKey:        "このカードの公開鍵",
	fingerprint:      "公開鍵の指紋 (SHA-256)",
	publicKeyConnect: "署名や送金をすると、このカードの公開鍵がサイトとブロックチェーン上で誰にでも見えるようになります。公開鍵は何年もこのカードを識別でき、このカードのアカウントはすべて同じ持ち主のものだと分かるようになります。",
	publicKeySign:    "公開鍵がサイトに渡り、ブロックチェーン上でも誰にでも見えるようになります。公開鍵は何年もこのカードを識別でき、このカードのアカウントはすべて同じ持ち主のものだと分かるようになります。",
	certificate:      "電子証明書そのもの",

	signMessage:       "このメッセージへの電子署名",
	signNote:          "このアカウントとして、このネットワークでだけ使える署名です。",
	message:           "メッセージ",
	length:            "長さ",
	empty:             "（空のメッセージ）",
	signData:          "以下のデータへの電子署名",
	domainName:        "アプリの名前",
	domainVersion:     "バージョン",
	domainChainID:     "ネットワーク",
	verifyingContract: "確認するコントラクト",
	domainSalt:        "識別用の値 (salt)",
	primaryType:       "データの種類",
	content:           "内容",
	siweBadge:         "へのログイン",

	calls: [12]string{
		"送金",
		"トークンの送金",
		"トークンの使用許可",
		"トークンの移動",
		"アカウントの設定の変更",
		"コントラクトの呼び出し",
		"見守り人（アカウントを守る人）を決める",
		"アカウントを移す手続きを取り消す",
		"見守り人の変更を取り消す",
		"このアカウントを新しいカードに切り替える",
		"見守っている人のアカウントを新しいカードに移す手続きを始める",
		"アカウントを新しいカードに移す手続きを完了する",
	},
	to:              "送信先",
	recipient:       "送信先",
	spender:         "許可する相手",
	from:            "移動元",
	target:          "呼び出し先",
	amount:          "金額",
	limit:           "上限額",
	unlimited:       "無制限",
	token:           "トークン",
	contract:        "トークンのアドレス",
	unknownToken:    "登録されていないトークン",
	rawUnit:         "（単位不明）",
	value:           "一緒に送る金額",
	data:            "送信するデータ",
	approveNote:     "許可した相手は、上限額まで、あなたのトークンをいつでも引き出せるようになります。",
	txSignature:     "この取引へのカードの電子署名",
	txSignatureNote: "このアカウントから、このネットワークで、上の内容だけを実行するための署名です。",
	fee:             "手数料（ネットワークに支払います）",
	feeNote:         "アカウントの残高から、この金額までを前払いします。実際の手数料はこれ以下で、残りは次からの手数料に使われます。",
	maxFee:          "最大",
	gasLimit:        "ガスの上限",
	feeInToken:      func(symbol string) string { return "手数料（" + symbol + "で払います）" },
	feeInTokenNote:  "手数料の支払い先（下のアドレス）に、この金額までの引き落としを許可してから実行します。実際の手数料はこれ以下です。ETHは使いません。",
	paymaster:       "手数料の支払い先",

	guardian:           "見守り人",
	threshold:          "承認に必要な人数",
	delay:              "待ち時間",
	guardiansNote:      "見守り人にできるのは、あなたがカードをなくしたり更新したりしたときに、このアカウントを新しいカードに移すことに同意することだけです。お金を動かすことも、あなたの代わりに署名することもできません。移す手続きは、同意のあと待ち時間が過ぎるまで実行されず、その間はこのカードで取り消せます。",
	guardiansLater:     "いまの見守り人が替わるのは、いまの待ち時間が過ぎてからです。",
	cancelRecoveryNote: "見守り人の同意で始まった、このアカウントを別のカードに移す手続きを取り消します。",
	cancelChangeNote:   "予定されている見守り人の変更を取り消します。いまの見守り人のままになります。",
	quorum:             func(m, n int) string { return strconv.Itoa(n) + "人のうち" + strconv.Itoa(m) + "人" },
	hours:              jaHours,
	pendingBefore:      "あと ",
	pendingAfter:       " で、このアカウントは新しいカードのものになります。",
	pendingNow:         "いつでも",
	expiryBefore:       "電子証明書の有効期限は ",
	expiryAfter:        " です。",
	rotateNote:         "このアカウントを、新しいカード（下の確認コードのカード）にすぐに移します。移したあとは、このカードでは使えなくなります。お金はアカウントに残ったままです。",
	startNote:          "見守っている人のアカウントを、その人の新しいカード（下の確認コードのカード）に移す手続きを始めます。お金は動きません。移るのは待ち時間（48時間以上）が過ぎてからで、それまでは今のカードの持ち主が取り消せます。",
	executeNote:        "見守り人が同意し、待ち時間が過ぎた手続きを完了します。アカウントは新しいカード（下の確認コードのカード）のものになります。お金は動きません。",
	moved:              "移すアカウント",
	keyCheck:           "新しいカードの確認コード",
	approvals:          "同意する見守り人",
	approvalsCount: func(n int, you bool) string {
		if you {
			return strconv.Itoa(n) + "人（あなたを含む）"
		}
		return strconv.Itoa(n) + "人"
	},
	approvalNote: "見守っている人のアカウント（下の account）を、その人の新しいカード（newKeyHash）に移すことに、見守り人として同意する署名です。ほかの見守り人の同意と合わせて、移す手続きが始まります。お金は動きません。",
	handover:     "アカウントを引き継ぐための署名",
	handoverNote: "このカードで、下のアカウントを引き継ぐ申し込みに署名します。見守り人が同意し、待ち時間が過ぎると、このカードでアカウントを使えるようになります。前のカードがまだ使えるなら、前のカードで切り替えればすぐに使えます。この署名だけでは、お金は動きません。",

	warnings: [12][2]string{
		{"文字として読めないメッセージです",
			"内容を文字で表示できないため、16進数で表示しています。何のための署名か分からない場合は、キャンセルしてください。"},
		{"別のサイトへのログイン用のメッセージです",
			"呼び出し元のサイトとは違います。偽のサイトが、あなたになりすまして別のサイトにログインしようとしているおそれがあります。キャンセルしてください。"},
		{"別のネットワーク用のデータです",
			"意図しない取引に使われるおそれがあります。心当たりがなければ、キャンセルしてください。"},
		{"無制限の使用許可です",
			"許可した相手は、このトークンを、いつでも、いくらでも、あなたのアカウントから引き出せるようになります。信頼できる相手でなければ、キャンセルしてください。"},
		{"アカウントの設定を変える操作です",
			"あなたのアカウントそのものの設定（持ち主の鍵など）を変えます。アカウントを乗っ取られるおそれがあります。ご自身で設定を変えるのでなければ、キャンセルしてください。"},
		{"登録されていないトークンです",
			"トークンの名前と単位が分からないため、金額を数字のまま表示しています。"},
		{"内容を確かめられない操作です",
			"この画面では、操作の中身を読み取れません。何をする操作か分からない場合は、キャンセルしてください。"},
		{"内容の割に手数料が高い取引です",
			"送る内容に比べて、多くの手数料（ガス）を使う取引です。送り先のコントラクトが余分な処理をしているおそれがあります。心当たりがなければ、キャンセルしてください。"},
		{"このアカウントを別のカードに移す手続きが進んでいます",
			"見守り人が同意して始まった手続きです。カードをなくした覚えも、更新した覚えもなければ、乗っ取りのおそれがあります。すぐに「この手続きを取り消す」を押してください。取り消しには、このカードと暗証番号が必要です。"},
		{"カードの更新が近づいています",
			"有効期限が来てカードを更新すると、カードの鍵が新しくなります。このアカウントは、新しいカードに移して使い続けます。"},
		{"見守り人がまだいません",
			"カードを更新したり、なくしたりしたとき、このアカウントを新しいカードに移すには見守り人の同意が必要です。いまのうちに、家族のカードなどを見守り人に登録してください。"},
		{"本人に確かめてから同意してください",
			"見守っている人から、会って、または電話で直接頼まれたときだけ同意してください。相手に確認コードを読み上げてもらい、下の確認コードと同じか確かめてください。知らない人からの依頼や、メールやメッセージだけの依頼は、乗っ取りのおそれがあります。"},
	},
	siweBefore:  "このメッセージは「",
	siweAfter:   "」へのログイン用です。",
	chainBefore: "このデータはチェーンID ",
	chainAfter:  " のネットワーク用で、いま使っているネットワークではありません。",
	bytes:       func(n int) string { return strconv.Itoa(n) + "バイト" },
	batch: func(n int) string {
		return strconv.Itoa(n) + "件の操作をまとめて送信します。すべてが実行されるか、どれも実行されないかのどちらかです。"
	},
	fiat: func(amount, code string) string {
		if code == "JPY" {
			return "（" + amount + "円）"
		}
		return "（" + amount + " " + code + "）"
	},
	chainID: func(id, name string) string {
		if name == "" {
			return id + "（いまのネットワークとは別）"
		}
		return name + "（チェーンID " + id + "）"
	},
}

var en = texts{
	titles: [5]string{
		" wants to connect to your account",
		" asks you to sign a message",
		" asks you to sign data",
		" asks you to send a transaction",
		" asks you to apply to take over an account",
	},

	account:          "Your account",
	accountNote:      "This card's account. The site will be able to see its balance and history.",
	address:          "Address",
	network:          "Network",
	publicKey:        "This card's public key",
	fingerprint:      "Public key fingerprint (SHA-256)",
	publicKeyConnect: "Once you sign or send anything, this card's public key becomes visible to the site and to anyone on the blockchain. It identifies this card for years, and shows that all accounts of this card belong to the same person.",
	publicKeySign:    "The site receives this card's public key, and anyone can see it on the blockchain. It identifies this card for years, and shows that all accounts of this card belong to the same person.",
	certificate:      "The certificate itself",

	signMessage:       "Your card's signature of this message",
	signNote:          "Valid only for this account, on this network.",
	message:           "Message",
	length:            "Length",
	empty:             "(empty message)",
	signData:          "Your card's signature of this data",
	domainName:        "App name",
	domainVersion:     "Version",
	domainChainID:     "Network",
	verifyingContract: "Checked by contract",
	domainSalt:        "Salt",
	primaryType:       "Kind of data",
	content:           "Content",
	siweBadge:         ": log in",

	calls: [12]string{
		"Payment",
		"Token payment",
		"Permission to spend tokens",
		"Token transfer",
		"Change to your account's settings",
		"Contract call",
		"Choose guardians (people who protect your account)",
		"Cancel the move of your account",
		"Cancel the change of guardians",
		"Switch this account to your new card",
		"Start moving the account you guard to its owner's new card",
		"Finish moving an account to a new card",
	},
	to:              "To",
	recipient:       "To",
	spender:         "Allowed to spend",
	from:            "From",
	target:          "Contract",
	amount:          "Amount",
	limit:           "Up to",
	unlimited:       "Unlimited",
	token:           "Token",
	contract:        "Token address",
	unknownToken:    "A token not on the list",
	rawUnit:         " (unit unknown)",
	value:           "Also sends",
	data:            "Data sent",
	approveNote:     "The one you allow can take your tokens, up to this amount, at any time.",
	txSignature:     "Your card's signature of this transaction",
	txSignatureNote: "It lets only the above happen, from this account, on this network.",
	fee:             "Fee (paid to the network)",
	feeNote:         "Up to this much is paid in advance from your account's balance. The actual fee is this much or less; the rest pays later fees.",
	maxFee:          "At most",
	feeInToken:      func(symbol string) string { return "Fee (paid in " + symbol + ")" },
	feeInTokenNote:  "The fee's payee (the address below) is first allowed to take up to this much. The actual fee is this much or less. No ETH is used.",
	paymaster:       "Fee payee",
	gasLimit:        "Gas limit",

	guardian:           "Guardian",
	threshold:          "Approvals needed",
	delay:              "Waiting time",
	guardiansNote:      "All a guardian can do is agree to move this account to your new card when you lose or renew your card. Guardians cannot move money or sign for you. A move happens only after the waiting time, and until then you can cancel it with this card.",
	guardiansLater:     "Your current guardians stay until the current waiting time has passed.",
	cancelRecoveryNote: "Cancels the move of this account to another card that guardians started.",
	cancelChangeNote:   "Cancels the planned change of guardians. Your current guardians stay.",
	quorum:             func(m, n int) string { return strconv.Itoa(m) + " of " + strconv.Itoa(n) },
	hours:              enHours,
	pendingBefore:      "In ",
	pendingAfter:       ", this account will belong to the new card.",
	pendingNow:         "at any moment",
	expiryBefore:       "The certificate expires on ",
	expiryAfter:        ".",
	rotateNote:         "Moves this account to your new card (the one with the check code below) at once. This card can no longer use it afterwards. The money stays in the account.",
	startNote:          "Starts moving the account you guard to its owner's new card (the one with the check code below). No money moves. The move happens only after the waiting time (48 hours or more), and until then the owner of the current card can cancel it.",
	executeNote:        "Finishes a move that guardians agreed to and whose waiting time has passed. The account then belongs to the new card (the one with the check code below). No money moves.",
	moved:              "Account to move",
	keyCheck:           "New card's check code",
	approvals:          "Guardians agreeing",
	approvalsCount: func(n int, you bool) string {
		if you {
			return strconv.Itoa(n) + " (you included)"
		}
		return strconv.Itoa(n)
	},
	approvalNote: "Your signature, as a guardian, agreeing to move the account you guard (account below) to its owner's new card (newKeyHash). With the other guardians' approvals it starts the move. No money moves.",
	handover:     "Signature to take over the account",
	handoverNote: "This card signs an application to take over the account below. Once guardians agree and the waiting time has passed, you can use the account with this card. If your previous card still works, switching with it makes this card the owner at once. This signature alone moves no money.",

	warnings: [12][2]string{
		{"This message is not readable text",
			"It is shown in hexadecimal because it cannot be shown as text. Press Cancel unless you know what you are signing."},
		{"A login message for a different site",
			"It is not the site asking. A fake site may be trying to log in elsewhere as you. Press Cancel."},
		{"Data for a different network",
			"It may be used for something you did not intend. Press Cancel unless you expected it."},
		{"Unlimited permission",
			"The one you allow can take any amount of this token from your account, at any time. Press Cancel unless you trust them."},
		{"This changes your account's settings",
			"It changes your account itself (such as the key that owns it). Someone could take over your account. Press Cancel unless you are changing the settings yourself."},
		{"A token not on the list",
			"Its name and unit are unknown, so the amount is shown as a plain number."},
		{"What this does cannot be checked",
			"This screen cannot read what this operation does. Press Cancel unless you know what it is."},
		{"A high fee for what this does",
			"This transaction uses much more fee (gas) than what it sends needs. The contract it goes to may be doing extra work. Press Cancel unless you expected it."},
		{"Your account is being moved to another card",
			"Guardians agreed to it. If you have not lost or renewed your card, someone may be taking over your account: press “Cancel this move” now. Cancelling needs this card and its PIN."},
		{"Your card is due for renewal",
			"When the certificate expires and the card is renewed, the card gets a new key. This account then moves to the new card and stays yours."},
		{"No guardians yet",
			"To move this account to a new card after a renewal or a loss, guardians must agree. Add one now, such as a family member's card."},
		{"Check with the owner before you agree",
			"Agree only when the person you guard asked you directly, in person or on the phone. Ask them to read out their check code and compare it with the one below. A request from a stranger, or by e-mail or message only, may be an attempt to take over their account."},
	},
	siweBefore:  "This message logs in to “",
	siweAfter:   "”.",
	chainBefore: "This data is for chain ID ",
	chainAfter:  ", not the network you are using.",
	bytes:       func(n int) string { return strconv.Itoa(n) + " bytes" },
	batch: func(n int) string {
		return "These " + strconv.Itoa(n) + " operations are sent together: either all of them happen, or none does."
	},
	fiat: func(amount, code string) string {
		if code == "JPY" {
			return " (¥" + amount + ")"
		}
		return " (" + amount + " " + code + ")"
	},
	chainID: func(id, name string) string {
		if name == "" {
			return id + " (not the network you are using)"
		}
		return name + " (chain ID " + id + ")"
	},
}
