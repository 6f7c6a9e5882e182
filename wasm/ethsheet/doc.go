// Package ethsheet computes the Ethereum consent sheets from the exact
// payload the consent window passes on to the host: connecting an account
// (Connect), signing a personal_sign message (Message) or EIP-712 typed
// data (TypedData), and sending calls (Calls). Like package sheet, each is
// pure data, and Render turns it into sheet's node tree, with sheet's
// header (who is asking, badges, warnings) and question.
//
// Payloads come from the page and are untrusted: anything the sheet cannot
// show exactly is refused with an *Error and a stable Reason, never shown
// approximately. Typed data is read by package eip712, the host's own
// reader of it, so the sheet and the signature cannot be two readings. Amounts are exact decimals (no math/big, no floating
// point); text that could hide or reorder characters is shown as hex or
// with \u escapes.
//
// # DOM hooks (stable; the consent page and the end-to-end tests query them)
//
//	section[data-sheet="connect"|"message"|"typed-data"|"calls"]
//	  header[data-section="asker"]          as in package sheet, plus:
//	    [data-badge="siwe-login"]           a Sign-In with Ethereum message for the calling site
//	    [data-warning="CODE"]               role="alert" when danger; codes below
//	  p[data-field="batch"]                 calls: more than one call, all or none
//	  section[data-section="sent"]
//	    li[data-item="call"][data-call-kind=KIND][data-call-index=N]   calls, in order (N from 0)
//	        [data-unlimited="true"] on an unlimited approve
//	        [data-field="to"|"recipient"|"spender"|"from"|"contract"]  addresses
//	        [data-field="amount"|"value"|"token"|"data"]
//	    li[data-item="fee"][data-max-cost-wei=N]   calls: the most the account can pay, in wei
//	        [data-field="maxFee"|"gasLimit"]
//	    li[data-item="signature"]           message, typed data and calls
//	        message: [data-encoding="text"|"hex"]; [data-field="message"], [data-field="bytes"]
//	        typed data: [data-field="domainName"|"domainVersion"|"domainChainId"|
//	          "verifyingContract"|"domainSalt"|"primaryType"], and
//	          ul[data-field="typedMessage"] li[data-path="a.b.0"][data-type="T"]
//	          (field names and 0-based array indices; shown numbered from 1)
//	    li[data-item="account"]             [data-field="account"], [data-field="chain"]
//	    li[data-item="publicKey"]           connect: [data-field="publicKeySha256"]
//	  section[data-section="not-sent"]
//	    li[data-item="myNumber"], li[data-item="personal"], li[data-item="certificate"]
//	  section[data-section="question"]      as in package sheet
//
// Addresses are shown in groups of four digits (span.mc-group); the
// element's textContent is still the exact address. Messages and call data
// sit in a scrollable box (.mc-block).
//
// # Warning codes (besides the origin's)
//
//	SIWE_MISMATCH       danger   a Sign-In message whose domain or URI is not the calling site
//	CHAIN_MISMATCH      danger   typed data whose domain.chainId is not the current chain
//	UNLIMITED_APPROVAL  danger   approve of 2^255 or more
//	CALL_TO_SELF        danger   a call to the account itself: changes its settings
//	BINARY_MESSAGE      caution  a message shown as hex
//	UNKNOWN_TOKEN       caution  an ERC-20 call to a token the chain does not list
//	UNKNOWN_CALL        caution  call data the sheet cannot decode
//	HIGH_FEE            caution  callGasLimit far above what the calls' kinds need (a contract that burns gas)
package ethsheet
