#include "CSluiceBuildInfo.h"

// Package.swift defines CSLUICE_GIT_COMMIT from git when SwiftPM evaluates the manifest.
#ifndef CSLUICE_GIT_COMMIT
#define CSLUICE_GIT_COMMIT "unknown"
#endif

const char *csluice_git_commit(void) { return CSLUICE_GIT_COMMIT; }
