GO ?= go
# BROWSERTEST pins axe-core, which the browser tests inject into the pages.
BROWSERTEST := internal/browsertest
# How long each fuzz target runs in `make fuzz`: a time, or a count of
# executions such as 30000x, which CI uses.
FUZZTIME ?= 10m

.PHONY: run test lint fuzz build console-screenshots

## run: start the gateway with its embedded defaults
run:
	$(GO) run ./cmd/safelink serve -log-format text

## test: run every test with the race detector (installs axe-core with npm the first time)
# The browser suite keeps every core busy, so it runs alone, after the rest;
# four tabs at a time keep the cores busy while pages wait on the network.
test: $(BROWSERTEST)/node_modules/.package-lock.json
	$(GO) test -race -count=1 -skip '^Test(Pages|Console|Incident)InBrowser$$' ./...
	$(GO) test -race -count=1 -parallel 4 -run '^Test(Pages|Console|Incident)InBrowser$$' ./gateway

## console-screenshots: walk through the incident of docs/security-team.md in the browser and refresh its screenshots in docs/console
console-screenshots: $(BROWSERTEST)/node_modules/.package-lock.json
	SAFELINK_DOCS_SCREENSHOTS=1 $(GO) test -count=1 -run '^TestIncidentInBrowser$$' ./gateway

# npm ci writes node_modules/.package-lock.json, so a changed lock file installs again.
$(BROWSERTEST)/node_modules/.package-lock.json: $(BROWSERTEST)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install axe-core for the browser tests: apt-get install -y npm"; exit 1; }
	npm ci --prefix $(BROWSERTEST)

## lint: gofmt and go vet
lint:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## fuzz: run every fuzz target for FUZZTIME, one after another
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$target ($$pkg, $(FUZZTIME))"; \
			$(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg; \
		done; \
	done

## build: a static binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/safelink ./cmd/safelink
