// Baseline for the booking benchmark: raw SQLite durable single-row inserts.
//
//   bench_sqlite_insert --dir DIR [--seconds 5] [--threads 64]
//
// WAL, synchronous=FULL, a table shaped like a small appointments row (with a unique token
// index and an (agent, start) index), one transaction per row:
//   single    one connection, BEGIN / INSERT / COMMIT in a loop;
//   threads   N threads, each with its own connection, BEGIN IMMEDIATE + busy_timeout.
// Prints rows/s and commit latency for both, the better one as the baseline, and a line
// "RESULT key=value ..." for scripts. Each variant uses a fresh database file in DIR (put it
// on the same file system as the server's database).
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void usage() {
    std::cerr << "usage: bench_sqlite_insert --dir DIR [--seconds 5] [--threads 64]\n";
    std::exit(2);
}

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        std::exit(1);
    }
}

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
        std::exit(1);
    }
}

sqlite3* open_db(const std::string& path) {
    sqlite3* db = nullptr;
    check(
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr),
        db, "open");
    sqlite3_busy_timeout(db, 10000);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=FULL");
    return db;
}

std::string fresh_db(const std::string& dir, const std::string& name) {
    std::string path = dir + "/" + name;
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    sqlite3* db = open_db(path);
    exec(db,
         "CREATE TABLE appointments (id INTEGER PRIMARY KEY, organisation_id INTEGER NOT NULL, "
         "agent_id INTEGER NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, "
         "status TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, "
         "email TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);"
         "CREATE INDEX appointments_live ON appointments(agent_id, starts_at);");
    sqlite3_close(db);
    return path;
}

struct Writer {
    sqlite3* db = nullptr;
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* begin = nullptr;
    sqlite3_stmt* commit = nullptr;
    sqlite3_stmt* rollback = nullptr;

    Writer(const std::string& path, bool immediate) {
        db = open_db(path);
        check(sqlite3_prepare_v2(db,
                                 "INSERT INTO appointments (organisation_id, agent_id, starts_at, "
                                 "ends_at, status, first_name, last_name, email, token_hash, "
                                 "created_at) VALUES (1,?,?,?,'booked','Camille','Martin',"
                                 "'camille.martin@example.test',?,?)",
                                 -1, &insert, nullptr),
              db, "prepare insert");
        check(sqlite3_prepare_v2(db, immediate ? "BEGIN IMMEDIATE" : "BEGIN", -1, &begin, nullptr),
              db, "prepare begin");
        check(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr), db, "prepare commit");
        check(sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, nullptr), db, "prepare rollback");
    }
    ~Writer() {
        for (auto* s : {insert, begin, commit, rollback}) sqlite3_finalize(s);
        sqlite3_close(db);
    }
    static int run(sqlite3_stmt* s) {
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        return rc;
    }
    // One durable transaction with one row; false on SQLITE_BUSY (after the busy timeout).
    bool insert_one(long n) {
        if (run(begin) != SQLITE_DONE) return false;
        sqlite3_bind_int64(insert, 1, 1 + n % 200);
        sqlite3_bind_int64(insert, 2, 1'800'000'000 + n * 1800);
        sqlite3_bind_int64(insert, 3, 1'800'000'000 + n * 1800 + 1800);
        std::string token = "token-" + std::to_string(n);
        sqlite3_bind_text(insert, 4, token.c_str(), int(token.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 5, 1'700'000'000 + n);
        int rc = run(insert);
        if (rc != SQLITE_DONE) {
            run(rollback);
            return false;
        }
        if (run(commit) != SQLITE_DONE) {
            run(rollback);
            return false;
        }
        return true;
    }
};

struct Outcome {
    long rows = 0;
    long failures = 0;
    double seconds = 0;
    double p50 = 0, p99 = 0;  // ms per transaction
    double rate() const { return seconds > 0 ? double(rows) / seconds : 0; }
};

double quantile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto rank = std::size_t(std::ceil(p * double(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

Outcome run_variant(const std::string& path, int threads, double seconds) {
    std::atomic<long> next{0};
    const auto n = static_cast<std::size_t>(threads);
    std::vector<std::vector<double>> lat(n);
    std::vector<long> ok(n), failed(n);
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(seconds);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            Writer w(path, threads > 1);
            while (Clock::now() < deadline) {
                auto t0 = Clock::now();
                if (w.insert_one(next++)) {
                    ++ok[std::size_t(t)];
                    lat[std::size_t(t)].push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                } else {
                    ++failed[std::size_t(t)];
                }
            }
        });
    }
    for (auto& th : pool) th.join();
    Outcome o;
    o.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (int t = 0; t < threads; ++t) {
        o.rows += ok[std::size_t(t)];
        o.failures += failed[std::size_t(t)];
        all.insert(all.end(), lat[std::size_t(t)].begin(), lat[std::size_t(t)].end());
    }
    o.p50 = quantile(all, 0.50);
    o.p99 = quantile(all, 0.99);
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    double seconds = 5;
    int threads = 64;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--dir")
            dir = next();
        else if (a == "--seconds")
            seconds = std::stod(next());
        else if (a == "--threads")
            threads = std::stoi(next());
        else
            usage();
    }
    if (dir.empty() || seconds <= 0 || threads < 1) usage();
    std::filesystem::create_directories(dir);

    std::printf("SQLite %s, WAL, synchronous=FULL, one row per transaction, %.0f s each\n\n",
                sqlite3_libversion(), seconds);
    auto single = run_variant(fresh_db(dir, "insert-single.db"), 1, seconds);
    auto multi = run_variant(fresh_db(dir, "insert-threads.db"), threads, seconds);
    std::printf("| %-46s | %9s | %8s | %8s | %8s |\n", "variant", "rows/s", "p50 ms", "p99 ms",
                "failures");
    std::printf(
        "|------------------------------------------------|-----------|----------|----------|"
        "----------|\n");
    std::printf("| %-46s | %9.0f | %8.2f | %8.2f | %8ld |\n", "1 connection, BEGIN/INSERT/COMMIT",
                single.rate(), single.p50, single.p99, single.failures);
    std::string label = std::to_string(threads) + " threads x own connection, BEGIN IMMEDIATE";
    std::printf("| %-46s | %9.0f | %8.2f | %8.2f | %8ld |\n", label.c_str(), multi.rate(),
                multi.p50, multi.p99, multi.failures);
    const bool single_better = single.rate() >= multi.rate();
    const double baseline = single_better ? single.rate() : multi.rate();
    std::printf("\nbaseline (better of the two): %.0f rows/s (%s)\n", baseline,
                single_better ? "single connection" : "threads");
    std::printf(
        "RESULT single_rate=%.1f single_p50=%.3f single_p99=%.3f threads=%d "
        "threads_rate=%.1f threads_p50=%.3f threads_p99=%.3f threads_failures=%ld "
        "baseline_rate=%.1f baseline_variant=%s\n",
        single.rate(), single.p50, single.p99, threads, multi.rate(), multi.p50, multi.p99,
        multi.failures, baseline, single_better ? "single" : "threads");
    for (auto name : {"insert-single.db", "insert-threads.db"})
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir + "/" + name + suffix);
    return 0;
}
