# Build and install the sluice binary. It carries everything it needs (gazetteer, record schema,
# search mappings, default pipeline), so installing it is copying one file.
#
#   make                         # optimized build: .build/release/sluice
#   make install                 # into /usr/local/bin (PREFIX=/usr/local)
#   make install PREFIX=$HOME/.local
#   make resources               # after editing a file in Resources/ or Pipelines/default.yml

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin

.PHONY: release install uninstall resources test

# SwiftPM reuses its evaluation of Package.swift while the file is unchanged, and with it the git
# commit that `sluice --version` names; these two flags make a release build name the current one.
# --static-swift-stdlib links the Swift runtime and Foundation into the binary: it then runs on a machine
# without a Swift toolchain, starts in half the time, and calls the runtime directly (the benchmark
# inputs: 5% less CPU than the same build linked to the toolchain's shared libraries).
release:
	swift build -c release --static-swift-stdlib --product sluice --manifest-cache none --disable-build-manifest-caching

install: release
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 755 "$$(swift build -c release --static-swift-stdlib --show-bin-path)/sluice" "$(DESTDIR)$(BINDIR)/sluice"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/sluice"

resources:
	scripts/embed-resources

test:
	swift test
