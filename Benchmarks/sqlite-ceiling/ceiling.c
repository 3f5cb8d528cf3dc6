/*
 * The C-equivalent ceiling of logfold's state store: how many journal entries per second SQLite itself
 * takes on THIS schema when each entry costs one customer upsert plus one outbox row, with the store's
 * settings (WAL, synchronous=NORMAL, 64 MiB page cache, temp_store=MEMORY, a WAL checkpoint every 10,000
 * pages) and one transaction per batch. Statements are prepared once and bound with SQLITE_STATIC:
 * nothing stands between the loop and SQLite.
 *
 *   per-entry  every entry upserts its customer row, then inserts its outbox row
 *   per-batch  hot state in memory: each customer touched in a batch is written once, at the batch's
 *              end, in its latest state; every entry still inserts its outbox row
 *
 *   --keys seq-first  profile keys as profile/<seq>/<customer> instead of the domain's
 *              profile/<customer>/<seq>: what keys that grow with time save in the unique index
 *   --bulk 1   as StateStore.beginBulkLoad()/endBulkLoad(): outbox_by_key and outbox_by_customer dropped
 *              during the load, outbox rows inserted without a conflict clause, both indexes rebuilt at
 *              its end (the rebuild is inside the timing)
 *   --key-index live  with --bulk 1: keep outbox_by_key and ON CONFLICT(key) during the load, as the
 *              store did before schema v4
 *
 * The tables below must stay identical to those of Sources/LogfoldStore/StoreSchema.swift (run.sh compares
 * them). Rows are realistic in size: customer columns as the projector fills them plus a 160-240 byte
 * state blob; outbox rows with a dedupe key in the domain's format, routing columns and a 150-400 byte body.
 *
 * Build: gcc -O2 -o ceiling ceiling.c -lsqlite3
 * Usage: ceiling [--entries N] [--batch N] [--customers N] [--mode per-entry|per-batch] [--bulk 0|1] [--keys domain|seq-first]
 *                [--key-index deferred|live] [--db PATH]
 */
#define CEILING_PROGRAM "ceiling"
#include "common.h"

#define KEY_INDEX "CREATE UNIQUE INDEX IF NOT EXISTS outbox_by_key ON outbox(key)"
#define CUSTOMER_INDEX "CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox(customer_id)"

static const char *schema[] = {
    "PRAGMA application_id = 1818716787",
    "CREATE TABLE customers (id TEXT NOT NULL PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, "
    "status TEXT, schedule TEXT, box TEXT, signup_date TEXT, next_delivery TEXT, cancel_date TEXT, "
    "week_tag TEXT, subscribed INTEGER, suppressed INTEGER NOT NULL, missed_signup INTEGER NOT NULL, "
    "lists TEXT NOT NULL, last_seq INTEGER NOT NULL, state BLOB NOT NULL)",
    "CREATE TABLE orders (id TEXT NOT NULL PRIMARY KEY, customer_id TEXT, stage TEXT NOT NULL, total TEXT, "
    "currency TEXT, placed_seq INTEGER, last_seq INTEGER NOT NULL, state BLOB NOT NULL)",
    "CREATE INDEX orders_by_customer ON orders(customer_id)",
    "CREATE TABLE outbox (ordinal INTEGER NOT NULL PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, "
    "customer_id TEXT NOT NULL, metric TEXT, unique_id TEXT, time INTEGER NOT NULL, value TEXT, list TEXT, "
    "source_seq INTEGER NOT NULL, body BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'pending', "
    "attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, outcome TEXT, delivered_at INTEGER)",
    KEY_INDEX,
    "CREATE INDEX outbox_unsettled ON outbox(status) WHERE status = 'pending' OR status = 'dead'",
    CUSTOMER_INDEX,
    "CREATE TABLE checkpoints (name TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL)",
    "CREATE TABLE delivery_ledger (metric TEXT NOT NULL, unique_id TEXT NOT NULL, profile_key TEXT NOT NULL, "
    "delivered_at INTEGER NOT NULL, PRIMARY KEY (metric, unique_id, profile_key)) WITHOUT ROWID",
};

static const char *upsert_customer =
    "INSERT INTO customers (id, email, first_name, last_name, status, schedule, box, signup_date, "
    "next_delivery, cancel_date, week_tag, subscribed, suppressed, missed_signup, lists, last_seq, state) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
    "email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name, "
    "status = excluded.status, schedule = excluded.schedule, box = excluded.box, "
    "signup_date = excluded.signup_date, next_delivery = excluded.next_delivery, "
    "cancel_date = excluded.cancel_date, week_tag = excluded.week_tag, subscribed = excluded.subscribed, "
    "suppressed = excluded.suppressed, missed_signup = excluded.missed_signup, lists = excluded.lists, "
    "last_seq = excluded.last_seq, state = excluded.state";

static const char *insert_outbox =
    "INSERT INTO outbox (ordinal, key, kind, customer_id, metric, unique_id, time, value, list, source_seq, "
    "body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING";

/* A bulk load drops outbox_by_key with outbox_by_customer and builds it at the end, as the store does since
 * schema v4: inserts carry no conflict clause while it is away. --key-index live keeps it (schema v1-v3). */
static const char *insert_outbox_plain =
    "INSERT INTO outbox (ordinal, key, kind, customer_id, metric, unique_id, time, value, list, source_seq, "
    "body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char *move_checkpoint =
    "INSERT INTO checkpoints (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq";

static void bind_text(sqlite3_stmt *s, int i, const char *text) { sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC); }

static void write_customer(sqlite3_stmt *s, long customer, uint64_t seq) {
    char id[24], email[48], first[24], last[24];
    snprintf(id, sizeof id, "%ld", 1000000 + customer);
    snprintf(email, sizeof email, "customer%ld@example.com", customer);
    snprintf(first, sizeof first, "First%ld", customer);
    snprintf(last, sizeof last, "Last%ld", customer);
    bind_text(s, 1, id);
    bind_text(s, 2, email);
    bind_text(s, 3, first);
    bind_text(s, 4, last);
    bind_text(s, 5, "Active");
    bind_text(s, 6, "Every week");
    bind_text(s, 7, "Classic Family Box");
    bind_text(s, 8, "2020-05-15T17:03:56Z");
    bind_text(s, 9, "2020-06-01");
    sqlite3_bind_null(s, 10);
    bind_text(s, 11, "open order");
    sqlite3_bind_int64(s, 12, 1);
    sqlite3_bind_int64(s, 13, 0);
    sqlite3_bind_int64(s, 14, 0);
    bind_text(s, 15, "all customers,purchases");
    sqlite3_bind_int64(s, 16, (sqlite3_int64)seq);
    sqlite3_bind_blob(s, 17, pool + (seq * 61) % 4096, 160 + (int)(seq % 81), SQLITE_STATIC);
    step(s);
}

static const char *metrics[] = {"Placed Order", "Ordered Product", "Logged In", "Changed Box", "Skipped Order",
                                 "Started Checkout", "Fulfilled Order", "Added Delivery"};

/* Keys in the domain's format (OutboundMessage.key): three messages in four are events keyed by metric,
 * unique_id (a log or order id, growing with time) and customer; one in four is a profile upsert keyed by
 * customer and seq, which lands at a random place in the key index. */
static int deferred_key_index = 1;
static int seq_first_keys = 0; /* --keys seq-first: profile/<seq>/<customer>, appended to the key index */

static void write_message(sqlite3_stmt *s, long customer, uint64_t seq) {
    char id[24], key[128], unique[24];
    int profile = seq % 4 == 3;
    const char *metric = metrics[seq % 8];
    snprintf(id, sizeof id, "%ld", 1000000 + customer);
    snprintf(unique, sizeof unique, "%llu", (unsigned long long)(40000000 + seq * 3));
    if (profile && seq_first_keys) snprintf(key, sizeof key, "profile/%020llu/%s", (unsigned long long)seq, id);
    else if (profile) snprintf(key, sizeof key, "profile/%s/%llu", id, (unsigned long long)seq);
    else snprintf(key, sizeof key, "event/%s/%s/%s", metric, unique, id);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)(seq << 16));
    bind_text(s, 2, key);
    bind_text(s, 3, profile ? "profile" : "event");
    bind_text(s, 4, id);
    if (profile) {
        sqlite3_bind_null(s, 5);
        sqlite3_bind_null(s, 6);
    } else {
        bind_text(s, 5, metric);
        bind_text(s, 6, unique);
    }
    sqlite3_bind_int64(s, 7, 1589562236 + (sqlite3_int64)seq);
    if (profile) sqlite3_bind_null(s, 8);
    else bind_text(s, 8, "47.95");
    sqlite3_bind_null(s, 9);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)seq);
    sqlite3_bind_blob(s, 11, pool + (seq * 37) % 4096, 150 + (int)(next_random() % 251), SQLITE_STATIC);
    step(s);
}


int main(int argc, char **argv) {
    long entries = 2500000, batch = 10000, customers = 20000;
    int bulk = 0;
    const char *mode = "per-entry", *path = "ceiling.sqlite";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--entries")) entries = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--customers")) customers = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--mode")) mode = argv[i + 1];
        else if (!strcmp(argv[i], "--db")) path = argv[i + 1];
        else if (!strcmp(argv[i], "--bulk")) bulk = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--keys")) seq_first_keys = !strcmp(argv[i + 1], "seq-first");
        else if (!strcmp(argv[i], "--key-index")) deferred_key_index = strcmp(argv[i + 1], "live") != 0;
        else { fprintf(stderr, "ceiling: unknown option %s\n", argv[i]); return 2; }
    }
    int per_batch = !strcmp(mode, "per-batch");
    if (!per_batch && strcmp(mode, "per-entry")) { fprintf(stderr, "ceiling: unknown mode %s\n", mode); return 2; }
    open_fresh_store(path);
    for (size_t i = 0; i < sizeof schema / sizeof *schema; i++) exec(schema[i]);
    sqlite3_stmt *customer_statement = prepare(upsert_customer);
    sqlite3_stmt *outbox_statement = prepare(deferred_key_index && bulk ? insert_outbox_plain : insert_outbox);
    sqlite3_stmt *checkpoint_statement = prepare(move_checkpoint);
    sqlite3_stmt *read_checkpoint = prepare("SELECT seq FROM checkpoints WHERE name = ?");

    /* per-batch: the latest seq of each customer touched in the current batch (0: untouched) */
    uint64_t *touched_seq = calloc((size_t)customers, sizeof *touched_seq);
    long *touched = malloc((size_t)batch * sizeof *touched);
    long customer_writes = 0;
    double start = now();
    if (bulk) exec("DROP INDEX outbox_by_customer"); /* StateStore.beginBulkLoad() */
    if (bulk && deferred_key_index) exec("DROP INDEX outbox_by_key");
    for (long first = 0; first < entries; first += batch) {
        long last = first + batch < entries ? first + batch : entries;
        long touched_count = 0;
        exec("BEGIN IMMEDIATE");
        bind_text(read_checkpoint, 1, "main"); /* the compare half of the checkpoint's compare-and-set */
        if (sqlite3_step(read_checkpoint) == SQLITE_ROW && sqlite3_column_int64(read_checkpoint, 0) != first) {
            die("checkpoint moved");
        }
        sqlite3_reset(read_checkpoint);
        for (long entry = first; entry < last; entry++) {
            uint64_t seq = (uint64_t)entry + 1;
            long customer = (long)(next_random() % (uint64_t)customers);
            if (per_batch) {
                if (touched_seq[customer] == 0) touched[touched_count++] = customer;
                touched_seq[customer] = seq;
            } else {
                write_customer(customer_statement, customer, seq);
                customer_writes++;
            }
            write_message(outbox_statement, customer, seq);
        }
        for (long i = 0; i < touched_count; i++) {
            write_customer(customer_statement, touched[i], touched_seq[touched[i]]);
            touched_seq[touched[i]] = 0;
            customer_writes++;
        }
        bind_text(checkpoint_statement, 1, "main");
        sqlite3_bind_int64(checkpoint_statement, 2, last);
        step(checkpoint_statement);
        exec("COMMIT");
    }
    double index_start = now();
    if (bulk) exec(CUSTOMER_INDEX); /* StateStore.endBulkLoad() */
    if (bulk && deferred_key_index) exec(KEY_INDEX);
    double seconds = now() - start, index_seconds = now() - index_start;

    sqlite3_finalize(customer_statement);
    sqlite3_finalize(outbox_statement);
    sqlite3_finalize(checkpoint_statement);
    sqlite3_finalize(read_checkpoint);
    sqlite3_close(db);
    printf("%-9s%s%s%s %ld entries, %ld customer writes, %ld per transaction: %.2f s, %.0f entries/s\n", mode,
           bulk ? " bulk" : "", seq_first_keys ? " seq-first-keys" : "", bulk && !deferred_key_index ? " live-key-index" : "", entries, customer_writes, batch, seconds, (double)entries / seconds);
    if (bulk) printf("          (of which rebuilding the dropped indexes at the end: %.2f s)\n", index_seconds);
    free(touched_seq);
    free(touched);
    return 0;
}
