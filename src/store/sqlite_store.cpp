// SQLite implementation of the Store: the commit machinery. WAL, a pool of connections,
// one writer thread that runs every write of the process in group commits, a flush thread
// that makes each batch durable (or SQLite's own flush inside COMMIT, StoreOptions::flush),
// a checkpoint thread. The queries are in sqlite_<aggregate>.cpp
// (SqliteSession).
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "ops/metrics.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_session.hpp"
#include "store/store.hpp"

namespace vg::store {

using sqlite::Connection;
using sqlite::SqliteSession;

namespace {

// See kExitFlushFailed: one clear line, then stop without answering anybody or running
// destructors (they would wait for the writers this process must not answer).
[[noreturn]] void flush_failed(const std::string& what) {
    spdlog::critical(
        "{}; stopping now (exit {}) without answering the writers of this batch: what is on "
        "disk is unknown, a restart recovers it",
        what, kExitFlushFailed);
    if (auto logger = spdlog::default_logger()) logger->flush();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(kExitFlushFailed);
}

class SqliteStore final : public Store {
  public:
    explicit SqliteStore(StoreOptions o) : opt_(std::move(o)) {
        release(open_pooled());  // fails early on a bad path
    }

    ~SqliteStore() override {
        // The writer drains its queue first, then the flush thread what the writer handed it.
        stop(queue_mutex_, stopping_writer_, writer_cv_, writer_thread_);
        stop(queue_mutex_, stopping_flush_, flush_cv_, flush_thread_);
        stop(checkpoint_mutex_, stopping_, checkpoint_cv_, checkpointer_);
        if (wal_fd_ >= 0) ::close(wal_fd_);
    }

    int migrate() override {
        std::lock_guard lock(write_mutex_);
        Lease c(*this);
        c->exec("BEGIN IMMEDIATE");
        try {
            c->exec(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at INTEGER NOT NULL)");
            int current = version_of(*c);
            for (auto& m : migrations()) {
                if (m.version <= current) continue;
                c->reset_all();
                c->exec(m.sql);
                auto s =
                    c->prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
                s.bind(1, m.version).bind(2, clock().now());
                s.run();
            }
            c->reset_all();
            c->exec("COMMIT");
        } catch (...) {
            c->exec("ROLLBACK");
            throw;
        }
        return version_of(*c);
    }

    int schema_version() override {
        Lease c(*this);
        try {
            return version_of(*c);
        } catch (...) {
            return 0;
        }
    }

    void read(const std::function<void(Session&)>& fn) override {
        Lease c(*this);
        run_tx(*c, "BEGIN", fn);
    }

    // Group commit: writers queue their unit of work and wait; one writer thread takes
    // everything queued, runs each unit in its own SAVEPOINT of one transaction, commits
    // once and wakes them. Each unit still runs alone and in order (check-then-insert stays
    // race-free), a failing unit rolls back only its savepoint, and nobody returns before
    // the common COMMIT is durable: the fsync is shared by the batch. BEGIN IMMEDIATE still
    // guards against other processes (CLI) through the busy timeout. A failed flush stops
    // the process (kExitFlushFailed): this call then never returns.
    void write(const std::function<void(Session&)>& fn) override {
        Pending me{&fn, nullptr, false};
        std::unique_lock lock(queue_mutex_);
        if (!writer_thread_.joinable()) writer_thread_ = std::thread([this] { writer_loop(); });
        queue_.push_back(&me);
        writer_cv_.notify_one();
        done_cv_.wait(lock, [&] { return me.done; });
        if (me.error) std::rethrow_exception(me.error);
    }

    bool ready() override {
        try {
            Lease c(*this);
            auto s = c->prepare("SELECT COUNT(*) FROM schema_migrations");
            return s.step();
        } catch (...) {
            return false;
        }
    }

  private:
    const core::Clock& clock() const { return opt_.clock ? *opt_.clock : core::system_clock(); }
    bool flush_thread() const { return opt_.durable && opt_.flush == Flush::thread; }

    // A pooled connection, returned to the pool on every exit path.
    struct Lease {
        SqliteStore& store;
        std::unique_ptr<Connection> conn;
        explicit Lease(SqliteStore& s) : store(s), conn(s.acquire()) {}
        ~Lease() {
            conn->reset_all();
            store.release(std::move(conn));
        }
        Connection* operator->() { return conn.get(); }
        Connection& operator*() { return *conn; }
    };

    static int version_of(Connection& c) {
        auto s = c.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        s.step();
        return s.i32(0);
    }

    static void stop(std::mutex& m, bool& stopping, std::condition_variable& cv, std::thread& t) {
        {
            std::lock_guard lock(m);
            stopping = true;
        }
        cv.notify_all();
        if (t.joinable()) t.join();
    }

    struct Pending {
        const std::function<void(Session&)>* fn;
        std::exception_ptr error;
        bool done = false;
    };

    // The connection of group commits: the only writer of this process, so its page cache
    // stays warm (other connections' commits would discard it). Checkpoints run beside it.
    Connection& writer() {
        if (!writer_) {
            writer_ = open();
            writer_->exec("PRAGMA cache_size=-16384");  // KiB: the hot index pages stay cached
            // Savepoint and statement journals in memory, not in temporary files.
            writer_->exec("PRAGMA temp_store=MEMORY");
            // Flush::thread: COMMIT writes the WAL without waiting for the disk; flush_loop()
            // makes each batch durable (fdatasync of the WAL) before anybody in it is
            // answered, while this connection already runs the next batch. Flush::sqlite:
            // synchronous=FULL from open(), COMMIT returns once the WAL is synced.
            if (flush_thread()) writer_->exec("PRAGMA synchronous=NORMAL");
            sqlite3_wal_hook(writer_->raw(), &SqliteStore::on_wal, this);
        }
        return *writer_;
    }

    // Replaces SQLite's automatic checkpoint, which would copy pages back into the database
    // inside the committing writer's COMMIT (several fsyncs) while every other writer waits.
    static int on_wal(void* self, sqlite3*, const char*, int frames) {
        if (frames >= kCheckpointFrames) static_cast<SqliteStore*>(self)->request_checkpoint();
        return SQLITE_OK;
    }
    static constexpr int kCheckpointFrames = 1000;  // SQLite's own default threshold

    void request_checkpoint() {
        std::lock_guard lock(checkpoint_mutex_);
        if (!checkpointer_.joinable()) checkpointer_ = std::thread([this] { checkpoint_loop(); });
        checkpoint_wanted_ = true;
        checkpoint_cv_.notify_one();
    }

    void checkpoint_loop() {
        pthread_setname_np(pthread_self(), "vg-checkpoint");
        std::unique_ptr<Connection> c;
        std::unique_lock lock(checkpoint_mutex_);
        while (true) {
            checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || stopping_; });
            if (stopping_) return;
            checkpoint_wanted_ = false;
            lock.unlock();
            try {
                if (!c) c = open();
                // PASSIVE: never waits for readers or the writer; what it cannot copy now is
                // copied by the next round.
                sqlite3_wal_checkpoint_v2(c->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                          nullptr);
            } catch (...) {
                c.reset();  // retried at the next request
            }
            lock.lock();
        }
    }

    void writer_loop() {
        // The serial section of every write: ahead of the request threads when the system
        // allows it (root, or CAP_SYS_NICE); harmless when it does not.
        setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), -5);
        pthread_setname_np(pthread_self(), "vg-writer");
        std::unique_lock lock(queue_mutex_);
        while (true) {
            writer_cv_.wait(lock, [&] { return !queue_.empty() || stopping_writer_; });
            if (queue_.empty()) return;  // stopping, nothing left
            std::vector<Pending*> batch;
            batch.swap(queue_);
            lock.unlock();
            run_batch(batch);
            lock.lock();
            if (flush_thread()) {
                if (!flush_thread_.joinable())
                    flush_thread_ = std::thread([this] { flush_loop(); });
                unflushed_.insert(unflushed_.end(), batch.begin(), batch.end());
                flush_cv_.notify_one();
            } else {
                for (auto* p : batch) p->done = true;
                done_cv_.notify_all();
            }
        }
    }

    // Durability, outside the serial section: one fdatasync of the WAL covers every batch
    // committed before it started. Its writers return only then; if it fails, never.
    void flush_loop() {
        pthread_setname_np(pthread_self(), "vg-flush");
        std::unique_lock lock(queue_mutex_);
        while (true) {
            flush_cv_.wait(lock, [&] { return !unflushed_.empty() || stopping_flush_; });
            if (unflushed_.empty()) return;
            std::vector<Pending*> batch;
            batch.swap(unflushed_);
            lock.unlock();
            if (auto failure = flush_wal(); !failure.empty()) flush_failed(failure);
            lock.lock();
            for (auto* p : batch) p->done = true;
            done_cv_.notify_all();
        }
    }

    // Empty on success. The WAL lives as long as the writer connection (never closed while
    // batches run; SQLite rewrites it in place after a checkpoint), so a descriptor opened
    // once, after the first commit created it, names the file SQLite writes to.
    std::string flush_wal() {
        if (wal_fd_ < 0) {
            wal_name_ = opt_.path + "-wal";
            wal_fd_ = ::open(wal_name_.c_str(), O_RDONLY | O_CLOEXEC);
            // No WAL (a file system where SQLite could not enable it): the changes went to
            // the database file itself.
            if (wal_fd_ < 0 && errno == ENOENT) {
                wal_name_ = opt_.path;
                wal_fd_ = ::open(wal_name_.c_str(), O_RDONLY | O_CLOEXEC);
            }
            if (wal_fd_ < 0)
                return "cannot open " + wal_name_ + " to flush it: " + std::strerror(errno);
        }
        if (::fdatasync(wal_fd_) != 0)
            return "fdatasync " + wal_name_ + " failed: " + std::strerror(errno);
        return {};
    }

    // SQLite's own flush failed inside COMMIT (Flush::sqlite, or a checkpoint's): the commit
    // record may or may not reach the disk, so neither "done" nor "failed" is a true answer.
    static bool is_flush_error(int code) {
        return code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_DIR_FSYNC;
    }

    void run_batch(const std::vector<Pending*>& batch) {
        std::lock_guard lock(write_mutex_);  // migrate() and other writers of this process
        ops::metrics().commit_batch.observe(double(batch.size()));
        Connection* c = nullptr;
        try {
            c = &writer();
            c->exec("BEGIN IMMEDIATE");
            SqliteSession session(*c, clock());
            for (auto* p : batch) {
                c->prepare("SAVEPOINT unit").run();
                try {
                    (*p->fn)(session);
                    c->reset_all();
                    c->prepare("RELEASE unit").run();
                } catch (...) {
                    p->error = std::current_exception();
                    c->reset_all();
                    c->prepare("ROLLBACK TO unit").run();
                    c->prepare("RELEASE unit").run();
                }
            }
            try {
                c->exec("COMMIT");
            } catch (const sqlite::Error& e) {
                if (is_flush_error(e.code)) flush_failed(std::string("COMMIT: ") + e.what());
                throw;
            }
        } catch (...) {
            // No connection, BEGIN refused (busy) or the transaction itself failed (commit,
            // disk full): nobody's work landed.
            auto e = std::current_exception();
            if (c) {
                c->reset_all();
                try {
                    c->exec("ROLLBACK");
                } catch (...) {
                }
            }
            for (auto* p : batch)
                if (!p->error) p->error = e;
        }
    }

    void run_tx(Connection& c, const char* begin, const std::function<void(Session&)>& fn) {
        c.exec(begin);
        try {
            SqliteSession session(c, clock());
            fn(session);
            c.reset_all();
            c.exec("COMMIT");
        } catch (...) {
            c.reset_all();
            try {
                c.exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }

    std::unique_ptr<Connection> open() {
        auto c = std::make_unique<Connection>(opt_.path, opt_.busy_timeout_ms);
        c->exec("PRAGMA journal_mode=WAL");
        c->exec(opt_.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        c->exec("PRAGMA foreign_keys=ON");
        // One per request thread: every commit of the writer empties their caches anyway,
        // so a small one saves memory for nothing lost (the writer's is larger).
        c->exec("PRAGMA cache_size=-1024");
        return c;
    }
    std::unique_ptr<Connection> acquire() {
        {
            std::lock_guard lock(pool_mutex_);
            if (!pool_.empty()) {
                auto c = std::move(pool_.back());
                pool_.pop_back();
                return c;
            }
        }
        return open_pooled();
    }
    // The pool's connections (request threads) read through a memory map of the file (the OS
    // page cache, shared by every connection and kept across the writer's commits) instead
    // of copying each page with pread into their small caches: the statistics read whole
    // years (docs/PERFORMANCE.md "Statistics"). Mapped pages count in RSS but are the file's.
    std::unique_ptr<Connection> open_pooled() {
        auto c = open();
        c->exec("PRAGMA mmap_size=1073741824");
        return c;
    }
    void release(std::unique_ptr<Connection> c) {
        std::lock_guard lock(pool_mutex_);
        pool_.push_back(std::move(c));
    }

    StoreOptions opt_;
    std::mutex write_mutex_;
    std::unique_ptr<Connection> writer_;  // under write_mutex_
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_cv_;
    std::thread checkpointer_;
    bool checkpoint_wanted_ = false;
    bool stopping_ = false;
    std::mutex queue_mutex_;
    std::condition_variable writer_cv_;  // work queued
    std::condition_variable done_cv_;    // a batch is durable
    std::condition_variable flush_cv_;   // a batch is committed, not yet flushed
    std::vector<Pending*> queue_;
    std::vector<Pending*> unflushed_;
    std::thread writer_thread_;
    std::thread flush_thread_;
    int wal_fd_ = -1;  // flush thread only
    std::string wal_name_;
    bool stopping_writer_ = false;
    bool stopping_flush_ = false;
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Connection>> pool_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const StoreOptions& options) {
    return std::make_unique<SqliteStore>(options);
}

}  // namespace vg::store
