/*
 * Candidate outbox layouts for a replay at 250,000 entries/s (issue 16, ADR 0005), measured in C before
 * any Swift is written, with the store's settings (WAL, synchronous=NORMAL, 64 MiB cache, temp_store
 * MEMORY) and a replay's 50,000 entries per transaction. Each entry yields `--rows` outbox rows (the
 * synthetic year averages 1.05 for Klaviyo, 1.04 more with ActiveCampaign).
 *
 *   --outbox wide   today's row: a text dedupe key (unique index built at the end, as a bulk load does),
 *                   routing columns and the whole 150-400 byte body; `--queued Q` of the `--rows` per entry
 *                   also get an entry in the pending rows' status index (ActiveCampaign's outbox, schema
 *                   v12); the others none (Klaviyo's, whose status index holds only dead rows since v15).
 *                   `--queued` defaults to all rows (schema v12-v14). `--queue-index end` builds that
 *                   index at the end instead, as a replay does since 2026-12-05. `--body-bytes B` makes the
 *                   bodies B bytes on average (B-125 to B+125, at least 16; 275 by default).
 *                   `--key-index unqueued` keeps the queued rows out of the unique key index (schema v18:
 *                   ActiveCampaign's rows are kept by their ordinal, only Klaviyo's by their key)
 *   --outbox lean   identity and routing only: ordinal INTEGER PRIMARY KEY, destination, kind, customer
 *                   (integer), source seq, time, and a 24-64 byte state blob to render the body from at
 *                   send time; no text key (dedupe settled in the fold's state), no status column
 *                   (pending is "ordinal past the sender's cursor"; retries and dead letters in a small
 *                   side table the sender writes)
 *   --customers batch   each customer touched in a batch written once at its end (today)
 *   --customers end     customers written once, when the replay ends (hot state in memory throughout)
 *
 * Build: gcc -O2 -o lean lean.c -lsqlite3
 * Usage: lean [--entries N] [--batch N] [--rows R] [--queued Q] [--queue-index live|end] [--body-bytes B]
 *             [--key-index all|unqueued] [--outbox wide|lean] [--customers batch|end] [--db PATH]
 */
#define CEILING_PROGRAM "lean"
#include "common.h"

int main(int argc, char **argv) {
    long entries = 2500000, batch = 50000, customers = 20000;
    double rows_per_entry = 2.1, queued_per_entry = -1;
    const char *outbox = "lean", *customer_mode = "batch", *path = "lean.sqlite", *queue_index = "live";
    const char *key_index = "all";
    long body_bytes = 275;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--entries")) entries = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--rows")) rows_per_entry = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--queued")) queued_per_entry = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--outbox")) outbox = argv[i + 1];
        else if (!strcmp(argv[i], "--customers")) customer_mode = argv[i + 1];
        else if (!strcmp(argv[i], "--queue-index")) queue_index = argv[i + 1];
        else if (!strcmp(argv[i], "--body-bytes")) body_bytes = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--key-index")) key_index = argv[i + 1];
        else if (!strcmp(argv[i], "--db")) path = argv[i + 1];
        else { fprintf(stderr, "lean: unknown option %s\n", argv[i]); return 2; }
    }
    int lean = !strcmp(outbox, "lean"), at_end = !strcmp(customer_mode, "end");
    int queue_at_end = !strcmp(queue_index, "end");
    if (body_bytes > 3000) body_bytes = 3000; /* bodies are slices of the 8 KiB pool */
    long body_min = body_bytes - 125 < 16 ? 16 : body_bytes - 125;
    long body_span = body_bytes + 125 - body_min + 1;
    if (queued_per_entry < 0 || queued_per_entry > rows_per_entry) queued_per_entry = rows_per_entry;
    double queued_share = rows_per_entry > 0 ? queued_per_entry / rows_per_entry : 0, queued_owed = 0;
    const char *queue_index_sql =
        "CREATE INDEX outbox_unsettled ON outbox(status) WHERE status = 'pending' OR status = 'dead'";
    open_fresh_store(path);
    exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, "
         "status TEXT, lists TEXT NOT NULL, last_seq INTEGER NOT NULL, state BLOB NOT NULL)");
    exec("CREATE TABLE checkpoints (name TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL)");
    if (lean) {
        exec("CREATE TABLE outbox (ordinal INTEGER PRIMARY KEY, destination INTEGER NOT NULL, kind INTEGER NOT NULL, "
             "customer INTEGER NOT NULL, source_seq INTEGER NOT NULL, time INTEGER NOT NULL, state BLOB NOT NULL)");
    } else {
        exec("CREATE TABLE outbox (ordinal INTEGER NOT NULL PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, "
             "customer_id TEXT NOT NULL, metric TEXT, unique_id TEXT, time INTEGER NOT NULL, value TEXT, list TEXT, "
             "source_seq INTEGER NOT NULL, body BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'pending', "
             "attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, outcome TEXT, delivered_at INTEGER)");
        if (!queue_at_end) exec(queue_index_sql);
    }
    sqlite3_stmt *insert = prepare(
        lean ? "INSERT INTO outbox (ordinal, destination, kind, customer, source_seq, time, state) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)"
             : "INSERT INTO outbox (ordinal, key, kind, customer_id, metric, unique_id, time, value, list, "
               "source_seq, body, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *customer = prepare(
        "INSERT INTO customers (id, email, first_name, last_name, status, lists, last_seq, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET email = excluded.email, "
        "first_name = excluded.first_name, last_name = excluded.last_name, status = excluded.status, "
        "lists = excluded.lists, last_seq = excluded.last_seq, state = excluded.state");
    sqlite3_stmt *checkpoint = prepare(
        "INSERT INTO checkpoints (name, seq) VALUES ('main', ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq");
    uint64_t *latest = calloc((size_t)customers, sizeof *latest);
    long *touched = malloc((size_t)customers * sizeof *touched);
    uint64_t ordinal = 0;
    double owed = 0, start = now();
    long customer_writes = 0;

    for (long first = 0; first < entries; first += batch) {
        long last = first + batch < entries ? first + batch : entries, touched_count = 0;
        exec("BEGIN IMMEDIATE");
        for (long entry = first; entry < last; entry++) {
            uint64_t seq = (uint64_t)entry + 1;
            long who = (long)(next_random() % (uint64_t)customers);
            if (latest[who] == 0 || (!at_end && latest[who] <= (uint64_t)first)) touched[touched_count++] = who;
            latest[who] = seq;
            for (owed += rows_per_entry; owed >= 1; owed -= 1) {
                ordinal++;
                sqlite3_bind_int64(insert, 1, (sqlite3_int64)ordinal);
                if (lean) {
                    sqlite3_bind_int64(insert, 2, (sqlite3_int64)(ordinal % 2));
                    sqlite3_bind_int64(insert, 3, (sqlite3_int64)(seq % 7));
                    sqlite3_bind_int64(insert, 4, 1000000 + who);
                    sqlite3_bind_int64(insert, 5, (sqlite3_int64)seq);
                    sqlite3_bind_int64(insert, 6, 1589562236 + (sqlite3_int64)seq);
                    sqlite3_bind_blob(insert, 7, pool + (seq * 37) % 4096, 24 + (int)(next_random() % 41), SQLITE_STATIC);
                } else {
                    char key[96], id[24], unique[24];
                    snprintf(id, sizeof id, "%ld", 1000000 + who);
                    snprintf(unique, sizeof unique, "%llu", (unsigned long long)(40000000 + seq * 3));
                    snprintf(key, sizeof key, "event/Placed Order/%s/%s/%llu", unique, id, (unsigned long long)ordinal);
                    sqlite3_bind_text(insert, 2, key, -1, SQLITE_TRANSIENT);
                    sqlite3_bind_text(insert, 3, "event", -1, SQLITE_STATIC);
                    sqlite3_bind_text(insert, 4, id, -1, SQLITE_TRANSIENT);
                    sqlite3_bind_text(insert, 5, "Placed Order", -1, SQLITE_STATIC);
                    sqlite3_bind_text(insert, 6, unique, -1, SQLITE_TRANSIENT);
                    sqlite3_bind_int64(insert, 7, 1589562236 + (sqlite3_int64)seq);
                    sqlite3_bind_text(insert, 8, "47.95", -1, SQLITE_STATIC);
                    sqlite3_bind_null(insert, 9);
                    sqlite3_bind_int64(insert, 10, (sqlite3_int64)seq);
                    sqlite3_bind_blob(insert, 11, pool + (seq * 37) % 4096,
                                      (int)(body_min + (long)(next_random() % (uint64_t)body_span)), SQLITE_STATIC);
                    // A queued row enters the partial index; the others stay out of it, as Klaviyo's pending
                    // rows do since v15 (the same bytes on the row either way).
                    queued_owed += queued_share;
                    int queued = queued_owed >= 1;
                    if (queued) queued_owed -= 1;
                    sqlite3_bind_text(insert, 12, queued ? "pending" : "pendinG", -1, SQLITE_STATIC);
                }
                step(insert);
            }
        }
        if (!at_end || last == entries) {
            long count = at_end ? 0 : touched_count;
            if (at_end) for (long c = 0; c < customers; c++) if (latest[c]) touched[count++] = c;
            for (long i = 0; i < count; i++) {
                long who = touched[i];
                char email[48];
                snprintf(email, sizeof email, "customer%ld@example.com", who);
                sqlite3_bind_int64(customer, 1, 1000000 + who);
                sqlite3_bind_text(customer, 2, email, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(customer, 3, "First", -1, SQLITE_STATIC);
                sqlite3_bind_text(customer, 4, "Last", -1, SQLITE_STATIC);
                sqlite3_bind_text(customer, 5, "Active", -1, SQLITE_STATIC);
                sqlite3_bind_text(customer, 6, "all customers", -1, SQLITE_STATIC);
                sqlite3_bind_int64(customer, 7, (sqlite3_int64)latest[who]);
                sqlite3_bind_blob(customer, 8, pool + (latest[who] * 61) % 4096, 160 + (int)(latest[who] % 81), SQLITE_STATIC);
                step(customer);
                customer_writes++;
            }
        }
        sqlite3_bind_int64(checkpoint, 1, last);
        step(checkpoint);
        exec("COMMIT");
    }
    double index_start = now();
    if (!lean) {
        // As StateStore.endBulkLoad builds them: SQLite's sorter with two helper threads on two cores.
        if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) exec("PRAGMA threads = 2");
        exec(strcmp(key_index, "unqueued") ? "CREATE UNIQUE INDEX outbox_by_key ON outbox(key)"
                                            : "CREATE UNIQUE INDEX outbox_by_key ON outbox(key) WHERE status <> 'pending'");
        exec("CREATE INDEX outbox_by_customer ON outbox(customer_id)");
        if (queue_at_end) exec(queue_index_sql);
    }
    double seconds = now() - start;
    printf("%s outbox, customers per %s: %ld entries, %llu rows, %ld customer writes: %.2f s (indexes %.2f s), "
           "%.0f entries/s\n", outbox, at_end ? "replay" : "batch", entries, (unsigned long long)ordinal,
           customer_writes, seconds, now() - index_start, (double)entries / seconds);
    sqlite3_finalize(insert);
    sqlite3_finalize(customer);
    sqlite3_finalize(checkpoint);
    sqlite3_close(db);
    return 0;
}
