#ifndef HARNESS_AUDIT_CSQLITE_SHIM_H
#define HARNESS_AUDIT_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT and SQLITE_STATIC are macros that Swift cannot import. */
static inline sqlite3_destructor_type ha_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type ha_sqlite_static(void) { return SQLITE_STATIC; }

/* sqlite3_config is variadic, which Swift cannot call. Turns off SQLite's memory statistics: with them on,
   every allocation SQLite makes takes a process-wide mutex. Must run before the first connection opens;
   returns SQLITE_MISUSE afterwards (harmless: the statistics then stay on). */
static inline int ha_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
