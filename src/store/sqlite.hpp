// Thin RAII layer over the SQLite C API with a per-connection statement cache.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vg::store::sqlite {

struct Error : std::runtime_error {
    int code;
    Error(int c, const std::string& what) : std::runtime_error(what), code(c) {}
};

class Stmt {
  public:
    explicit Stmt(sqlite3_stmt* s) : s_(s) {}
    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, int v) { return bind(i, std::int64_t(v)); }
    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind_null(int i);
    template <class T>
    Stmt& bind(int i, const std::optional<T>& v) {
        return v ? bind(i, *v) : bind_null(i);
    }
    // Returns true while a row is available.
    bool step();
    void run() {
        while (step()) {
        }
    }
    std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    int i32(int col) const { return sqlite3_column_int(s_, col); }
    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    std::string text(int col) const;
    // The text of a column, valid until the next step: for readers of many rows that copy
    // into strings they keep (no temporary string per column).
    std::string_view view(int col) const {
        auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
        return p ? std::string_view(p, size_t(sqlite3_column_bytes(s_, col))) : std::string_view();
    }
    std::optional<std::int64_t> opt_i64(int col) const {
        return is_null(col) ? std::nullopt : std::optional(i64(col));
    }

  private:
    sqlite3_stmt* s_;
};

class Connection {
  public:
    Connection(const std::string& path, int busy_timeout_ms);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const std::string& sql);
    // Prepared once per connection, reset and cleared on every call. Cached by the address
    // of the text: give a string literal (or a macro of literals), never a string built at
    // run time, whose freed address may come back with another statement's text.
    Stmt prepare(const char* sql);
    // Resets every statement of the connection: a statement left on a row would keep the
    // read snapshot open (stale reads, SQLITE_BUSY_SNAPSHOT on the next write, DDL locked).
    void reset_all();
    std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
    int changes() const { return sqlite3_changes(db_); }
    sqlite3* raw() { return db_; }

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace vg::store::sqlite
