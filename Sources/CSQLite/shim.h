#ifndef HARNESS_AUDIT_CSQLITE_SHIM_H
#define HARNESS_AUDIT_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT and SQLITE_STATIC are macros that Swift cannot import. */
static inline sqlite3_destructor_type ha_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type ha_sqlite_static(void) { return SQLITE_STATIC; }
#endif
