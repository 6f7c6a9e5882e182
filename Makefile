# MynaConnect — `make demo` shows it working, `make test` proves it.
# Every target that needs system packages calls `deps` first.

GO       ?= go
BIN      := dist/bin
FUZZTIME ?= 3s
# Debian packages: the PC/SC daemon and headers (cgo), the vpcd virtual reader
# driver the virtual card dials into, and OpenSC as an independent peer that
# checks the virtual card is faithful; Chromium (driven over CDP, no driver
# binary), Firefox ESR (driven by puppeteer-core over WebDriver BiDi) and a
# CJK font so Japanese renders in them and their screenshots; Binaryen's
# wasm-opt, which shrinks the consent sheets' WebAssembly modules.
DEB_PACKAGES := gcc pkg-config pcscd libpcsclite-dev vsmartcard-vpcd opensc pcsc-tools chromium firefox-esr fonts-noto-cjk zip binaryen

COMMANDS := ./host/cmd/mynaconnect-host ./host/testbed/cmd/mynaconnect-vcard ./host/testbed/cmd/mynaconnect-demo \
	./host/testbed/testpki/cmd/mynaconnect-testpki ./host/testbed/devchain/cmd/mynaconnect-devchain ./extension/cmd/mynaconnect-buildext \
	./installer/cmd/mynaconnect-install ./installer/cmd/mynaconnect
NPM_DIRS := extension/firefox host/account/contracts host/account/viemcheck host/testbed/alto
# What a person with a real reader installs: the host, the installer, the doctor.
RELEASE  := ./host/cmd/mynaconnect-host ./installer/cmd/mynaconnect-install ./installer/cmd/mynaconnect
VERSION  ?= 0.1.0

.PHONY: all deps build install uninstall doctor dist contracts devchain gas test vet unit jstest cross fuzz-short fuzz bench demo clean help

all: build

help:
	@echo "make demo   build everything; virtual card + test-sign site + Chromium with the extension (ARGS=-bundler: through Alto)"
	@echo "make test   the whole suite: unit, JS/WASM, real pcscd + virtual card, Chromium end to end, fuzz seeds, Windows build"
	@echo "make bench  benchmarks; results go to docs/benchmarks.txt"
	@echo "make fuzz   fuzz every parser for FUZZTIME each (default here 3s; try FUZZTIME=2m)"
	@echo "make build  binaries in $(BIN)/, the extension in dist/chromium/ and dist/firefox/"
	@echo "make install    the host + its manifests for your browsers (ARGS=--dry-run | --system | --all-browsers)"
	@echo "make uninstall  remove exactly what make install added"
	@echo "make doctor     say what stands between this machine and a working login"
	@echo "make dist   release files in dist/release/: Linux and Windows host + installer, zipped extensions"
	@echo "make devchain   the Ethereum dev chain (EntryPoint v0.8, card account factory, test JPYC) on 127.0.0.1:8545"
	@echo "make contracts  recompile the Solidity sources into host/account/contracts/artifacts"
	@echo "make gas        gas of the card account beside a secp256k1 account; writes host/testbed/devchain/GAS.md"
	@echo "make deps   install the Debian packages (as root) or print the command"
	@echo "make clean  remove dist/"

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then \
		echo "deps: Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "deps: missing Debian packages:" $$missing; \
		echo "deps: run: sudo apt-get install -y" $$missing; \
		exit 1; \
	fi
	@$(GO) mod download
	@# npm packages, never a browser download: puppeteer-core and web-ext for
	@# the Firefox tests; solc, OpenZeppelin and EntryPoint for the contracts;
	@# viem for the cross-check; Alto, the ERC-4337 bundler, patched on install.
	@for d in $(NPM_DIRS); do \
		if [ ! -d $$d/node_modules ] || [ $$d/package-lock.json -nt $$d/node_modules ]; then \
			PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix $$d --no-audit --no-fund --loglevel=error && touch $$d/node_modules || exit 1; \
		fi; \
	done

build: deps
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $(BIN)/ $(COMMANDS)
	$(BIN)/mynaconnect-buildext -out dist -browser all

# Installing needs only the host and the installer: no test packages.
install:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $(BIN)/ $(RELEASE)
	$(BIN)/mynaconnect-install --development-extension $(ARGS)

uninstall:
	$(GO) build -trimpath -o $(BIN)/ ./installer/cmd/mynaconnect-install
	$(BIN)/mynaconnect-install --uninstall $(ARGS)

doctor:
	$(GO) build -trimpath -o $(BIN)/ ./installer/cmd/mynaconnect
	$(BIN)/mynaconnect doctor $(ARGS)

# Release files: the host, installer and doctor for Linux (cgo, this
# machine's architecture) and Windows (no cgo needed), and each browser's
# extension zipped as the stores take it (Chromium without the fixed-id key).
dist: deps
	@rm -rf dist/release && mkdir -p dist/release/linux-amd64 dist/release/windows-amd64 dist/release/store
	$(GO) build -trimpath -o dist/release/linux-amd64/ $(RELEASE)
	GOOS=windows GOARCH=amd64 $(GO) build -trimpath -o dist/release/windows-amd64/ $(RELEASE)
	$(GO) run ./extension/cmd/mynaconnect-buildext -out dist/release/store -browser chromium -store
	$(GO) run ./extension/cmd/mynaconnect-buildext -out dist/release/store -browser firefox
	cd dist/release/store/chromium && rm -f build-report.json && zip -qr -X ../../mynaconnect-$(VERSION)-chromium.zip .
	cd dist/release/store/firefox && rm -f build-report.json && zip -qr -X ../../mynaconnect-$(VERSION)-firefox.zip .
	cd dist/release && tar czf mynaconnect-$(VERSION)-linux-amd64.tar.gz linux-amd64 && zip -qr -X mynaconnect-$(VERSION)-windows-amd64.zip windows-amd64
	@rm -rf dist/release/store
	@ls -l dist/release

contracts: deps
	node host/account/contracts/compile.mjs

devchain: deps
	$(GO) run ./host/testbed/devchain/cmd/mynaconnect-devchain $(ARGS)

gas: deps
	GAS_MD=$(CURDIR)/host/testbed/devchain/GAS.md $(GO) test -count=1 -run TestGas -v ./host/account/chaintest

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

# CI=true makes the pcscd integration tests fail instead of skipping when
# pcscd is missing: under `make test` nothing is allowed to skip silently.
unit: deps
	CI=true $(GO) test -count=1 ./...

# The JavaScript and WebAssembly sides, under Node: the extension's pure
# modules (node --test) and the sheet's Go code built for js/wasm, run by
# Go's own Node launcher.
jstest:
	node --test extension/src/lib/
	PATH="$$PATH:$$($(GO) env GOROOT)/lib/wasm" GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/...

# ebfe/scard needs no cgo on Windows; keep the host building there.
cross:
	GOOS=windows GOARCH=amd64 $(GO) build ./...

# Every fuzz target in the module, found by name, run briefly. A failing run
# is shown and run again: an input that crashes a target is saved under
# testdata/fuzz and replayed as a seed, so a real finding fails the second
# run too, while a fuzzing worker lost on a loaded machine does not fail CI.
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		pkg=./$$(dirname $$f); \
		for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			out=$$($(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg 2>&1) || { \
				echo "$$out" | tail -30; echo "fuzz $$pkg $$t failed; running it again"; \
				$(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; }; \
		done; \
	done

test: deps vet unit jstest cross fuzz-short
	@echo "make test: all passed"

bench: deps
	CI=true $(GO) test -run='^$$' -bench=. -benchmem -count=1 ./... | tee docs/benchmarks.txt

demo: build
	$(BIN)/mynaconnect-demo $(ARGS)

clean:
	rm -rf dist
