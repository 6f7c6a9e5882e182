package doctor

import (
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// Finding codes. They are stable: the extension's onboarding page and
// support scripts match on them. The codes and their sentences live in
// package findings, which the extension's build reads too.
const (
	CodePCSCDRunning      = findings.PCSCDRunning
	CodePCSCDNotRunning   = findings.PCSCDNotRunning
	CodePCSCDNotInstalled = findings.PCSCDNotInstalled
	CodePCSCError         = findings.PCSCError
	CodeReaderFound       = findings.ReaderFound
	CodeNoReader          = findings.NoReader
	CodeNoCard            = findings.NoCard
	CodeCardReady         = findings.CardReady
	CodeNotMyNumberCard   = findings.NotMyNumberCard
	CodeCardMute          = findings.CardMute
	CodeReaderBusy        = findings.ReaderBusy
	CodeCardError         = findings.CardError
	CodePINOK             = findings.PINOK
	CodePINLastTry        = findings.PINLastTry
	CodePINBlocked        = findings.PINBlocked
	CodeNoBrowser         = findings.NoBrowser
	CodeBrowserSandboxed  = findings.BrowserSandboxed
	CodeManifestOK        = findings.ManifestOK
	CodeManifestMissing   = findings.ManifestMissing
	CodeManifestInvalid   = findings.ManifestInvalid
	CodeHostBinaryMissing = findings.HostBinaryMissing
	CodeHostNotExecutable = findings.HostNotExecutable
	CodeExtensionNotAllow = findings.ExtensionNotAllowed
	CodeHostOK            = findings.HostOK
	CodeVersionMismatch   = findings.VersionMismatch
	CodeHostNotWorking    = findings.HostNotWorking
	// CodeDevelopmentExtension: a manifest allows the development build's id.
	CodeDevelopmentExtension = findings.DevelopmentExtensionAllowed
)

// finding makes the finding for code, its sentences filled with args.
func finding(code, subject, detail string, args ...any) Finding {
	return findingAs(code, code, subject, detail, args...)
}

// findingAs is finding with the sentences of another message key (a
// variant of the code's sentences for another operating system, such as
// findings.PCSCDNotRunningOther).
func findingAs(code, key, subject, detail string, args ...any) Finding {
	m, ok := findings.Lookup(key)
	if !ok {
		panic("doctor: no message for " + key)
	}
	ja, en := m.Format(args...)
	return Finding{Code: code, Status: m.Status, Subject: subject, Detail: detail, Ja: ja, En: en}
}
