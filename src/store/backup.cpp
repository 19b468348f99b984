// Backups and restore of the SQLite database (store/backup.hpp; docs/OPERATIONS.md).
#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/backup_retention.hpp"
#include "store/migrations.hpp"

namespace vg::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "visioguichet-backup";
constexpr int kFormatVersion = 1;
constexpr std::size_t kChunk = 1 << 20;
constexpr int kPagesPerStep = 256;

[[noreturn]] void fail(const std::string& what) {
    throw BackupError(what);
}

[[noreturn]] void fail_errno(const std::string& what, const std::string& path) {
    throw BackupError(what + " " + path + ": " + std::strerror(errno));
}

// A file removed when the operation fails before it was renamed into place (keep()).
class TempFile {
  public:
    explicit TempFile(std::string path) : path_(std::move(path)) {}
    ~TempFile() {
        if (path_.empty()) return;
        std::error_code ec;
        for (auto suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_ + suffix, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }
    void keep() { path_.clear(); }

  private:
    std::string path_;
};

class Fd {
  public:
    Fd(const std::string& path, int flags, mode_t mode = 0600)
        : fd_(::open(path.c_str(), flags | O_CLOEXEC, mode)) {
        if (fd_ < 0) fail_errno("cannot open", path);
    }
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

void write_all(int fd, const unsigned char* p, std::size_t n, const std::string& path) {
    while (n > 0) {
        auto w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) fail_errno("cannot write", path);
        p += w;
        n -= std::size_t(w);
    }
}

std::size_t read_some(int fd, unsigned char* p, std::size_t n, const std::string& path) {
    while (true) {
        auto r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) fail_errno("cannot read", path);
        return std::size_t(r);
    }
}

void fsync_path(const std::string& path, bool directory) {
    Fd fd(path, directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (::fsync(fd.get()) != 0) fail_errno("cannot flush", path);
}

std::string folder_of(const std::string& path) {
    auto dir = fs::path(path).parent_path();
    return dir.empty() ? "." : dir.string();
}

// The new file takes its place, then the folder entry is flushed: after a crash, `to` is
// either the old file or the whole new one.
void rename_durably(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) fail_errno("cannot rename " + from + " to", to);
    fsync_path(folder_of(to), true);
}

// A raw SQLite connection for the few statements of this file (no pool, no cache).
class Db {
  public:
    Db(const std::string& path, int flags, int busy_ms) {
        int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            fail("cannot open database " + path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, busy_ms);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    sqlite3* raw() { return db_; }
    std::string error() { return sqlite3_errmsg(db_); }

    int exec(const std::string& sql) {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    }
    void must(const std::string& sql) {
        if (exec(sql) != SQLITE_OK) fail(sql + ": " + error());
    }
    // The first column of every row; nullopt when the statement fails (no such table...).
    std::optional<std::vector<std::string>> column(const std::string& sql,
                                                   const std::string& param = {}) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            sqlite3_finalize(s);
            return std::nullopt;
        }
        if (!param.empty()) sqlite3_bind_text(s, 1, param.c_str(), -1, SQLITE_TRANSIENT);
        std::vector<std::string> out;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            auto t = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
            out.emplace_back(t ? t : "");
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) return std::nullopt;
        return out;
    }
    std::string value(const std::string& sql, const std::string& param = {}) {
        auto rows = column(sql, param);
        return rows && !rows->empty() ? rows->front() : std::string();
    }

  private:
    sqlite3* db_ = nullptr;
};

// What identifies a database: read from the copy itself, so it is the snapshot's.
void describe(Db& db, BackupInfo& info) {
    const char* q = "SELECT value FROM installation WHERE name = ?";
    info.installation_id = db.value(q, "installation_id");
    info.secret_key_id = db.value(q, "secret_key_id");
    auto v = db.column("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    info.schema_version = v && !v->empty() ? std::stoi(v->front()) : 0;
}

void copy_online(const std::string& db, const std::string& copy) {
    Db src(db, SQLITE_OPEN_READWRITE, 10000);
    // One read transaction for the whole copy: every step reads the same snapshot, so writes
    // of the server meanwhile neither restart the backup nor end up half in it (WAL: the
    // server's writers do not wait for this reader).
    src.must("BEGIN");
    src.must("SELECT COUNT(*) FROM sqlite_schema");
    Db dest(copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 10000);
    auto* b = sqlite3_backup_init(dest.raw(), "main", src.raw(), "main");
    if (!b) fail("cannot start the backup: " + dest.error());
    int rc;
    while ((rc = sqlite3_backup_step(b, kPagesPerStep)) != SQLITE_DONE) {
        int primary = rc & 0xff;
        if (primary == SQLITE_OK) continue;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
        }
        break;
    }
    int finish = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || finish != SQLITE_OK)
        fail("the backup failed: " + std::string(sqlite3_errstr(rc != SQLITE_DONE ? rc : finish)));
    src.exec("COMMIT");
}

void copy_vacuum(const std::string& db, const std::string& copy) {
    Db src(db, SQLITE_OPEN_READWRITE, 10000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(src.raw(), "VACUUM INTO ?", -1, &s, nullptr) != SQLITE_OK)
        fail("VACUUM INTO: " + src.error());
    sqlite3_bind_text(s, 1, copy.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) fail("VACUUM INTO failed: " + src.error());
}

std::string header_comment(const BackupInfo& info) {
    nlohmann::json j = {{"format", kFormat},
                        {"version", kFormatVersion},
                        {"installation_id", info.installation_id},
                        {"secret_key_id", info.secret_key_id},
                        {"schema_version", info.schema_version},
                        {"created_at", info.created_at},
                        {"database_bytes", info.database_bytes}};
    return j.dump();
}

BackupInfo parse_comment(const std::string& comment, const std::string& file) {
    auto j = nlohmann::json::parse(comment, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != kFormat)
        fail(file + " is not a Visioguichet backup (no backup description in its gzip header)");
    if (j.value("version", 0) != kFormatVersion)
        fail(file + " is a backup of format version " + std::to_string(j.value("version", 0)) +
             ", this binary reads version " + std::to_string(kFormatVersion));
    BackupInfo info;
    info.installation_id = j.value("installation_id", "");
    info.secret_key_id = j.value("secret_key_id", "");
    info.schema_version = j.value("schema_version", 0);
    info.created_at = j.value("created_at", std::int64_t(0));
    info.database_bytes = j.value("database_bytes", std::uint64_t(0));
    return info;
}

// gzip (RFC 1952) of `from` into `to`, the description in the header's comment field.
std::uint64_t compress(const std::string& from, const std::string& to, const BackupInfo& info) {
    auto comment = header_comment(info);
    z_stream z{};
    // Level 1: the copy is I/O-bound already and shares the machine with the server.
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fail("cannot start compressing");
    gz_header h{};
    h.comment = reinterpret_cast<Bytef*>(comment.data());
    h.time = uLong(info.created_at);
    h.os = 3;  // Unix
    deflateSetHeader(&z, &h);
    std::vector<unsigned char> in(kChunk), out(kChunk);
    std::uint64_t written = 0;
    try {
        Fd src(from, O_RDONLY);
        Fd dst(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
        int flush = Z_NO_FLUSH;
        while (flush != Z_FINISH) {
            auto n = read_some(src.get(), in.data(), in.size(), from);
            flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
            z.next_in = in.data();
            z.avail_in = uInt(n);
            do {
                z.next_out = out.data();
                z.avail_out = uInt(out.size());
                deflate(&z, flush);
                auto produced = out.size() - z.avail_out;
                write_all(dst.get(), out.data(), produced, to);
                written += produced;
            } while (z.avail_out == 0);
        }
        if (::fsync(dst.get()) != 0) fail_errno("cannot flush", to);
    } catch (...) {
        deflateEnd(&z);
        throw;
    }
    deflateEnd(&z);
    return written;
}

// Decompresses `from` into `to` (when not empty); returns the header's description and the
// bytes decompressed. Throws on a damaged or truncated file (gzip's CRC and length checked).
std::pair<BackupInfo, std::uint64_t> decompress(const std::string& from, const std::string& to) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) fail("cannot start decompressing");
    std::vector<unsigned char> comment(64 * 1024, 0);
    gz_header h{};
    h.comment = comment.data();
    h.comm_max = uInt(comment.size() - 1);
    inflateGetHeader(&z, &h);
    std::vector<unsigned char> in(kChunk), out(kChunk);
    std::uint64_t total = 0;
    BackupInfo info;
    bool described = false;
    try {
        Fd src(from, O_RDONLY);
        std::unique_ptr<Fd> dst;
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            auto n = read_some(src.get(), in.data(), in.size(), from);
            if (n == 0) fail(from + " is truncated (the compressed data ends early)");
            z.next_in = in.data();
            z.avail_in = uInt(n);
            while (z.avail_in > 0 && rc != Z_STREAM_END) {
                z.next_out = out.data();
                z.avail_out = uInt(out.size());
                rc = inflate(&z, Z_NO_FLUSH);
                if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                    fail(from + " is damaged: " + (z.msg ? z.msg : "not gzip data"));
                if (!described && h.done == 1) {
                    info = parse_comment(h.comment ? reinterpret_cast<char*>(h.comment) : "", from);
                    described = true;
                    if (to.empty()) break;
                    dst = std::make_unique<Fd>(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
                }
                auto produced = out.size() - z.avail_out;
                if (produced && dst) write_all(dst->get(), out.data(), produced, to);
                total += produced;
            }
            if (described && to.empty()) break;
        }
        if (!described) fail(from + " is not a Visioguichet backup (no gzip header comment)");
        if (dst && ::fsync(dst->get()) != 0) fail_errno("cannot flush", to);
    } catch (...) {
        inflateEnd(&z);
        throw;
    }
    inflateEnd(&z);
    return {info, total};
}

std::string stamp(std::int64_t now) {
    auto name = core::backup_file_name(now);  // visioguichet-YYYYMMDDTHHMMSSZ.db.gz
    return name.substr(13, 16);
}

}  // namespace

int latest_schema_version() {
    return migrations().back().version;
}

BackupInfo backup_database(const std::string& db, const std::string& file, BackupMethod method,
                           std::int64_t now) {
    if (!fs::is_regular_file(db)) fail("no database at " + db);
    auto pid = std::to_string(::getpid());
    TempFile copy(file + ".copy-" + pid);
    if (method == BackupMethod::vacuum)
        copy_vacuum(db, copy.path());
    else
        copy_online(db, copy.path());
    BackupInfo info;
    {
        Db c(copy.path(), SQLITE_OPEN_READWRITE, 10000);
        describe(c, info);
        // One file, whatever the source's journal mode: no WAL to carry along.
        c.exec("PRAGMA journal_mode=DELETE");
    }
    if (info.schema_version == 0) fail(db + " is not a Visioguichet database (no schema version)");
    info.created_at = now;
    info.database_bytes = fs::file_size(copy.path());
    TempFile partial(file + ".partial-" + pid);
    info.file_bytes = compress(copy.path(), partial.path(), info);
    rename_durably(partial.path(), file);
    partial.keep();
    return info;
}

BackupInfo read_backup_info(const std::string& file) {
    return decompress(file, "").first;
}

RestoreResult restore_database(const std::string& file, const std::string& db, std::int64_t now) {
    auto dir = folder_of(db);
    if (!fs::is_directory(dir)) fail("--db: folder '" + dir + "' does not exist");
    // Every check on a file beside the database, which stays untouched until they all passed.
    TempFile restored(dir + "/." + fs::path(db).filename().string() + ".restoring-" +
                      std::to_string(::getpid()));
    auto [info, bytes] = decompress(file, restored.path());
    if (info.database_bytes && bytes != info.database_bytes)
        fail(file + " holds " + std::to_string(bytes) + " bytes, its header says " +
             std::to_string(info.database_bytes));
    {
        Db c(restored.path(), SQLITE_OPEN_READWRITE, 10000);
        auto check = c.column("PRAGMA integrity_check");
        if (!check) fail("the restored database cannot be read: " + c.error());
        if (check->size() != 1 || check->front() != "ok") {
            std::string problems;
            for (std::size_t i = 0; i < check->size() && i < 5; ++i)
                problems += "\n  " + (*check)[i];
            fail("the restored database fails PRAGMA integrity_check:" + problems);
        }
        BackupInfo found;
        describe(c, found);
        if (found.schema_version < 1)
            fail(file + " does not hold a Visioguichet database (no schema version)");
        if (found.schema_version > latest_schema_version())
            fail(file + " was made by a newer Visioguichet (schema version " +
                 std::to_string(found.schema_version) + "; this binary knows up to " +
                 std::to_string(latest_schema_version()) +
                 "): restore it with that version or a later one");
        if (found.installation_id != info.installation_id)
            fail(file + ": its database's installation id (" + found.installation_id +
                 ") is not the one its header names (" + info.installation_id + ")");
        // WAL, as the server runs it: from its first connection on, anyone who opens it holds
        // the lock that tells a later restore it is in use.
        if (c.exec("PRAGMA journal_mode=WAL") != SQLITE_OK)
            fail("cannot set WAL mode on the restored database: " + c.error());
    }
    fsync_path(restored.path(), false);

    RestoreResult result{info, {}};
    if (fs::exists(db)) {
        // In use by any process (a server, a command, the sqlite3 shell): SQLite's own locks
        // say so. Every connection in WAL mode holds a shared lock as long as it is open, so
        // an exclusive lock without waiting is refused.
        {
            Db probe(db, SQLITE_OPEN_READWRITE, 0);
            probe.exec("PRAGMA locking_mode=EXCLUSIVE");
            int rc = probe.exec("BEGIN EXCLUSIVE") & 0xff;
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                fail("the database " + db +
                     " is in use (a server or another command has it open): stop it first; "
                     "nothing was changed");
            // Not in use (or too damaged to say): the last connection folds its WAL in.
            probe.exec("COMMIT");
        }
        // Kept beside it, with its WAL under the matching name: SQLite can still open it.
        result.replaced = db + ".replaced-" + stamp(now);
        for (auto suffix : {"", "-wal", "-journal"}) {
            auto from = db + suffix;
            if (fs::exists(from) && ::rename(from.c_str(), (result.replaced + suffix).c_str()) != 0)
                fail_errno("cannot move the old database aside:", from);
        }
        std::error_code ec;
        fs::remove(db + "-shm", ec);
    }
    rename_durably(restored.path(), db);
    restored.keep();
    return result;
}

}  // namespace vg::store
