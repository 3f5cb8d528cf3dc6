/*
 * The C ceiling of logfold's journal appends: the same LMDB writes `logfold ingest` makes, with nothing
 * else in the loop. It copies every record of an existing journal (the records logfold wrote, byte for
 * byte) into a fresh environment with the journal's layout and settings:
 *
 *   - "ids":     platform id (8-byte big-endian) -> seq, put with MDB_NOOVERWRITE (the dedupe check);
 *   - "records": seq (8-byte big-endian) -> record, put with MDB_APPEND | MDB_RESERVE and filled in place;
 *   - "meta":    the running byte count, rewritten once per batch;
 *   - MDB_NOTLS, plus MDB_NOSYNC | MDB_NOMETASYNC for --durability nosync; one write transaction per
 *     batch of --batch records (logfold ingest: 2,000), committed (and, with fsync, synced) each time.
 *
 * The source is read through a read transaction on the source's memory map, which is warm after the
 * first pass; parsing, validation and the compact form (logfold's work per line) are not part of it.
 *
 * Build: gcc -O2 -o lmdb-ceiling ceiling.c -llmdb
 * Usage: lmdb-ceiling --from JOURNAL_DIR --to EMPTY_DIR [--batch 2000] [--durability fsync|nosync]
 * Prints one line: records, seconds, records/s.
 */
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void check(int rc, const char *what) {
    if (rc != MDB_SUCCESS) {
        fprintf(stderr, "lmdb-ceiling: %s: %s\n", what, mdb_strerror(rc));
        exit(1);
    }
}

static void big_endian(uint64_t value, unsigned char out[8]) {
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)(value & 0xff);
        value >>= 8;
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *from = NULL, *to = NULL, *durability = "fsync";
    long batch = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--from")) from = argv[i + 1];
        else if (!strcmp(argv[i], "--to")) to = argv[i + 1];
        else if (!strcmp(argv[i], "--batch")) batch = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--durability")) durability = argv[i + 1];
        else {
            fprintf(stderr, "lmdb-ceiling: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!from || !to || batch < 1) {
        fprintf(stderr, "usage: lmdb-ceiling --from JOURNAL_DIR --to EMPTY_DIR [--batch N] [--durability fsync|nosync]\n");
        return 2;
    }
    MDB_env *source, *target;
    MDB_dbi source_records, records, ids, meta;
    MDB_txn *read, *write;
    check(mdb_env_create(&source), "creating the source environment");
    check(mdb_env_set_maxdbs(source, 3), "setting the source's databases");
    check(mdb_env_set_mapsize(source, (size_t)64 << 30), "setting the source's map size");
    check(mdb_env_open(source, from, MDB_NOTLS | MDB_RDONLY, 0600), "opening the source journal");
    check(mdb_txn_begin(source, NULL, MDB_RDONLY, &read), "beginning the source read");
    check(mdb_dbi_open(read, "records", 0, &source_records), "opening the source's records");

    mkdir(to, 0700);
    check(mdb_env_create(&target), "creating the target environment");
    check(mdb_env_set_maxdbs(target, 3), "setting the target's databases");
    check(mdb_env_set_mapsize(target, (size_t)64 << 30), "setting the target's map size");
    unsigned flags = MDB_NOTLS;
    if (!strcmp(durability, "nosync")) flags |= MDB_NOSYNC | MDB_NOMETASYNC;
    check(mdb_env_open(target, to, flags, 0600), "opening the target");
    check(mdb_txn_begin(target, NULL, 0, &write), "beginning the setup");
    check(mdb_dbi_open(write, "records", MDB_CREATE, &records), "creating records");
    check(mdb_dbi_open(write, "ids", MDB_CREATE, &ids), "creating ids");
    check(mdb_dbi_open(write, "meta", MDB_CREATE, &meta), "creating meta");
    check(mdb_txn_commit(write), "committing the setup");

    MDB_cursor *source_cursor;
    check(mdb_cursor_open(read, source_records, &source_cursor), "opening the source cursor");
    MDB_val key, value;
    int rc = mdb_cursor_get(source_cursor, &key, &value, MDB_FIRST);
    uint64_t seq = 0, bytes = 0;
    double start = now();
    while (rc == MDB_SUCCESS) {
        check(mdb_txn_begin(target, NULL, 0, &write), "beginning a batch");
        MDB_cursor *cursor;
        check(mdb_cursor_open(write, records, &cursor), "opening the records cursor");
        for (long n = 0; n < batch && rc == MDB_SUCCESS; n++) {
            unsigned char seq_key[8], id_key[8];
            seq++;
            big_endian(seq, seq_key);
            memcpy(id_key, (const unsigned char *)value.mv_data + 4, 8);  /* the record's platform id */
            MDB_val id = {8, id_key}, seq_value = {8, seq_key}, record_key = {8, seq_key};
            check(mdb_put(write, ids, &id, &seq_value, MDB_NOOVERWRITE), "indexing an id");
            MDB_val reserved = {value.mv_size, NULL};
            check(mdb_cursor_put(cursor, &record_key, &reserved, MDB_APPEND | MDB_RESERVE), "appending a record");
            memcpy(reserved.mv_data, value.mv_data, value.mv_size);
            bytes += value.mv_size;
            rc = mdb_cursor_get(source_cursor, &key, &value, MDB_NEXT);
        }
        mdb_cursor_close(cursor);
        unsigned char total[8];
        big_endian(bytes, total);
        MDB_val meta_key = {11, "recordBytes"}, meta_value = {8, total};
        check(mdb_put(write, meta, &meta_key, &meta_value, 0), "counting bytes");
        check(mdb_txn_commit(write), "committing a batch");
    }
    if (rc != MDB_NOTFOUND) check(rc, "reading the source");
    double seconds = now() - start;
    printf("lmdb ceiling (%s, %ld per transaction): %llu records in %.2f s, %.0f records/s\n", durability, batch,
           (unsigned long long)seq, seconds, (double)seq / seconds);
    mdb_cursor_close(source_cursor);
    mdb_txn_abort(read);
    mdb_env_close(target);
    mdb_env_close(source);
    return 0;
}
