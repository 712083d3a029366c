#ifndef CSLUICE_BUILD_INFO_H
#define CSLUICE_BUILD_INFO_H

/// The git commit this binary was built from (12 hex digits, "-modified" when the tree had
/// uncommitted changes), or "unknown" when it was not built from a git checkout.
const char *csluice_git_commit(void);

#endif
