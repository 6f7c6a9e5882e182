// Package protocol defines the messages between the MynaConnect extension and
// its native messaging host, and decodes requests strictly: an unknown field,
// a field of the wrong type, a missing required field, a duplicate field or
// data after the request is an error that names the field.
//
// docs/host-protocol.md is the reference for the extension's side; this
// package is the host's. Keep them in step.
package protocol

// Version is the protocol version this host speaks; hello negotiates it.
const Version = 1

// SupportedVersions lists every protocol version the host accepts in hello.
var SupportedVersions = []int{Version}

// Method names.
const (
	MethodHello               = "hello"
	MethodVersion             = "version"
	MethodListReaders         = "listReaders"
	MethodReadAuthCertificate = "readAuthCertificate"
	MethodAuthPINStatus       = "authPinStatus"
	MethodAuthenticate        = "authenticate"
	MethodEthChains           = "ethChains"
	MethodEthAccount          = "ethAccount"
	MethodEthRPC              = "ethRpc"
	MethodEthSignMessage      = "ethSignMessage"
	MethodEthSignTypedData    = "ethSignTypedData"
	MethodEthPrepareCalls     = "ethPrepareCalls"
	MethodEthSendCalls        = "ethSendCalls"
	MethodEthSignHandover     = "ethSignHandover"
)

// Methods lists the methods of this protocol version, in the order hello
// reports them.
var Methods = []string{
	MethodHello,
	MethodVersion,
	MethodListReaders,
	MethodReadAuthCertificate,
	MethodAuthPINStatus,
	MethodAuthenticate,
	MethodEthChains,
	MethodEthAccount,
	MethodEthRPC,
	MethodEthSignMessage,
	MethodEthSignTypedData,
	MethodEthPrepareCalls,
	MethodEthSendCalls,
	MethodEthSignHandover,
}

// KnownMethod reports whether m is a method of this protocol version.
func KnownMethod(m string) bool {
	for _, k := range Methods {
		if k == m {
			return true
		}
	}
	return false
}

// EventReadersChanged is pushed whenever a reader or card comes or goes, or a
// card's state becomes known. Its data is a ReadersResult.
const EventReadersChanged = "readersChanged"

// Response is the host's answer to one request: exactly one of Result and
// Error is set. ID is nil (JSON null) only when the request's id could not
// be read.
type Response struct {
	ID     *uint64 `json:"id"`
	Result any     `json:"result,omitempty"`
	Error  *Error  `json:"error,omitempty"`
}

// Event is a message the host sends on its own, without a request.
type Event struct {
	Event string `json:"event"`
	Data  any    `json:"data"`
}
