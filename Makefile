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
release:
	swift build -c release --product sluice --manifest-cache none --disable-build-manifest-caching

install: release
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 755 "$$(swift build -c release --show-bin-path)/sluice" "$(DESTDIR)$(BINDIR)/sluice"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/sluice"

resources:
	scripts/embed-resources

test:
	swift test
