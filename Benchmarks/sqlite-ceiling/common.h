/*
 * What the SQLite ceiling programs (ceiling.c, lean.c) share: error handling, statements, a seeded
 * xorshift64* for the bytes they write, a monotonic clock, and a fresh database opened with the state
 * store's settings (StateStore.swift: 8 KiB pages, WAL, synchronous=NORMAL, 64 MiB cache, temp_store MEMORY, a
 * checkpoint every 10,000 pages, a 64 MiB journal size limit).
 *
 * Define CEILING_PROGRAM (the name errors start with) before including it.
 */
#ifndef CEILING_COMMON_H
#define CEILING_COMMON_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sqlite3 *db;

static void die(const char *what) {
    fprintf(stderr, CEILING_PROGRAM ": %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) die(sql);
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL) != SQLITE_OK) die(sql);
    return statement;
}

static void step(sqlite3_stmt *statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) die("step");
    sqlite3_reset(statement);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) { /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static unsigned char pool[8192]; /* random bytes: bodies and states are slices of it */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Fills `pool`, deletes `path` and its WAL, and opens it fresh as `db` with the store's settings. */
static void open_fresh_store(const char *path) {
    for (size_t i = 0; i < sizeof pool; i++) pool[i] = (unsigned char)next_random();
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    if (sqlite3_open(path, &db) != SQLITE_OK) die("open");
    exec("PRAGMA page_size = 8192"); /* StateStore.pageSize: set before WAL fixes it */
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA cache_size = -65536");
    exec("PRAGMA temp_store = MEMORY");
    exec("PRAGMA wal_autocheckpoint = 10000");
    exec("PRAGMA journal_size_limit = 67108864");
}

#endif
