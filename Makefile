# Vienreiz. `make run` starts the app; `make test` runs every test.
# Both install the Debian packages they need (apt-get; sudo when not root).

GO ?= go
# Fyne's desktop build (cgo, OpenGL, X11).
UI_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
# Tests: a display for the smoke test, independent XML/XSD/Schematron and
# signature checkers, Java for Apache Santuario, PostgreSQL, and a D-Bus
# session with gnome-keyring for the secret store; EGL/GLES for Fyne's
# mobile simulation (-tags mobile), OCR (tesseract, Latvian) with which
# the whole-flow tests read the app's screen, and nginx, the reverse proxy
# the event stream is tried behind.
TEST_PACKAGES := $(UI_PACKAGES) xvfb x11-utils xdotool imagemagick libxml2-utils poppler-utils \
	libsaxonhe-java default-jre-headless default-jdk-headless libxml-security-java \
	xmlsec1 postgresql ca-certificates git chromium \
	dbus-daemon dbus-x11 gnome-keyring libsecret-tools \
	libegl-dev libgles-dev tesseract-ocr tesseract-ocr-lav openbox wmctrl nginx-light

.PHONY: run test bench package server deps-run deps-test clean

# The app's build tags live in scripts/app-tags, which scripts/test.sh,
# scripts/package-*.sh and the launch benchmark read too:
# - no_emoji: the app shows no emoji, and Fyne's bundled colour emoji font
#   cost 10-19 MiB of memory (parsed once per text style);
# - nopostgres: the exchange service the app embeds keeps its data in
#   SQLite, so the PostgreSQL driver stays out (3.7 MiB less resident code);
# - migrated_fynedo: every screen update runs on Fyne's UI goroutine (fyne.Do),
#   so Fyne need not check it on each canvas refresh: the check reads the
#   goroutine's stack, a third of the CPU of redrawing a long list. The tests
#   are built without it and keep the check (the Xvfb tests fail on its log).
APP_TAGS := $(shell cat scripts/app-tags)

# go run stamps no commit: the linker is given it, for About and -version.
COMMIT := $(shell git rev-parse --short=8 HEAD 2>/dev/null)

run: deps-run
	$(GO) run -tags $(APP_TAGS) -ldflags "-X github.com/vienreiz/vienreiz/internal/buildinfo.commit=$(COMMIT)" .

test: deps-test
	scripts/test.sh

# BENCH selects benchmarks by name. BenchmarkSustained (oots/as4) sends for
# VIENREIZ_SUSTAINED_DURATION (default 10s; the issue's figure:
# make bench BENCH=Sustained VIENREIZ_SUSTAINED_DURATION=10m).
BENCH ?= .
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem ./...

server:
	CGO_ENABLED=0 $(GO) build -o build/vienreiz-server ./platforms/server

# A Linux desktop bundle: the app, its icon and a .desktop entry in a tarball.
package: deps-run
	scripts/package-linux.sh

deps-run:
	@scripts/ensure-packages.sh $(UI_PACKAGES)

deps-test:
	@scripts/ensure-packages.sh $(TEST_PACKAGES)

clean:
	rm -rf build
