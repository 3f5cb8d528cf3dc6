#ifndef LOGFOLD_SQLITE_TUNING_H
#define LOGFOLD_SQLITE_TUNING_H

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS) for the whole process; returns
/// SQLite's result code: SQLITE_OK (0), or SQLITE_MISUSE when SQLite was already initialized (it then
/// keeps its statistics, and nothing else changes).
///
/// With statistics on, every allocation and free SQLite makes takes a global mutex and updates
/// counters. Debian's SQLite has no lookaside allocator (OMIT_LOOKASIDE), so each bound text, each
/// statement's memory, each record is such an allocation: in a replay's committer that was about a
/// tenth of its instructions. logfold reads none of the statistics. sqlite3_config is variadic, which
/// Swift cannot call, hence this function.
int logfold_sqlite_disable_memory_statistics(void);

#endif
