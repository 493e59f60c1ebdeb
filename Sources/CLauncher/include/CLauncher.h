#ifndef CLAUNCHER_H
#define CLAUNCHER_H

/// Placeholder until the launcher lands.
int cl_launcher_version(void);

#endif
