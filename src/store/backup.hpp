// Backups of the SQLite database that the server may keep writing to meanwhile, and their
// restore (docs/OPERATIONS.md). A backup is one gzip file: the database as SQLite's online
// backup API (or VACUUM INTO) copied it from one read snapshot, compressed; the gzip header's
// comment names the installation and the secret key the database's queued links were sealed
// with (the key itself is never in a backup). `zcat` gives the database back as well.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace vg::store {

struct BackupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How the copy is taken; both read one snapshot and never block the server's writers (WAL).
// online: sqlite3_backup_step, a few pages at a time, into a file beside the backup.
// vacuum: VACUUM INTO that file (rebuilds the tables: smaller, more work).
enum class BackupMethod { online, vacuum };

struct BackupInfo {
    std::string installation_id;
    std::string secret_key_id;  // empty when no server ever started on the database
    int schema_version = 0;
    std::int64_t created_at = 0;  // UTC seconds
    std::uint64_t database_bytes = 0;
    std::uint64_t file_bytes = 0;  // the compressed file
};

// Writes `file` (through a temporary file beside it, flushed, then renamed: a failed backup
// leaves no partial file under that name). Throws BackupError.
BackupInfo backup_database(const std::string& db, const std::string& file, BackupMethod method,
                           std::int64_t now);

// What a backup file says about itself (its gzip header); throws BackupError when it is not
// a Visioguichet backup.
BackupInfo read_backup_info(const std::string& file);

struct RestoreResult {
    BackupInfo info;
    std::string replaced;  // where the database that was at `db` went ("" when there was none)
};

// Restores `file` to `db`: decompresses to a temporary file beside it, flushes it, checks
// PRAGMA integrity_check, the schema version (known to this binary) and the installation id,
// then refuses if `db` is open in any process (SQLite's own locks), moves the database that
// was there aside (with its WAL, as a pair SQLite can still open) and renames the new one
// into place. Nothing is written under `db` until every check passed. Throws BackupError.
RestoreResult restore_database(const std::string& file, const std::string& db, std::int64_t now);

// The newest schema version this binary knows (the last migration).
int latest_schema_version();

}  // namespace vg::store
