// SQLite queries: The append-only journal.
#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::add_audit(const AuditEntry& e) {
    auto s = c_.prepare(
        "INSERT INTO audit_log (organisation_id, at, actor, action, object_type, object_id, "
        "detail) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, e.organisation_id)
        .bind(2, now())
        .bind(3, e.actor)
        .bind(4, e.action)
        .bind(5, e.object_type)
        .bind(6, e.object_id)
        .bind(7, e.detail.empty() ? std::string("{}") : e.detail);
    s.run();
}

}  // namespace vg::store::sqlite
