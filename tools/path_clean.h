/*
 * path_clean.h - lexical clean-up of a file path, as Go's path.Clean: "."
 * segments and doubled slashes go, "dir/.." pairs cancel. Symbol tables
 * store paths cleaned, so a traceback reads /src/runtime/chan.c rather
 * than /src/./runtime/chan.c.
 */
#ifndef GORT_TOOLS_PATH_CLEAN_H
#define GORT_TOOLS_PATH_CLEAN_H

/* Cleans path in place (it only gets shorter) and returns it. A leading
 * ".." of a relative path stays, as does "/.." at the root's level ("/"). */
char *path_clean(char *path);

#endif
