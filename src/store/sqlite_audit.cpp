// SQLite queries: the append-only journals (audit, configuration changes).
#include <limits>

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

void SqliteSession::add_change(const ConfigChange& c) {
    auto s = c_.prepare(
        "INSERT INTO config_changes (organisation_id, at, actor, object_type, object_id, action, "
        "before, after) VALUES (?,?,?,?,?,?,?,?)");
    s.bind(1, c.organisation_id)
        .bind(2, now())
        .bind(3, c.actor)
        .bind(4, c.object_type)
        .bind(5, c.object_id)
        .bind(6, c.action)
        .bind(7, c.before.empty() ? std::string("{}") : c.before)
        .bind(8, c.after.empty() ? std::string("{}") : c.after);
    s.run();
}

std::vector<ConfigChange> SqliteSession::changes(Id org, const ChangeFilter& f) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, at, actor, object_type, object_id, action, before, after "
        "FROM config_changes WHERE organisation_id = ? AND (? = '' OR object_type = ?) "
        "AND (? = '' OR actor = ?) AND at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?");
    s.bind(1, org)
        .bind(2, f.object_type)
        .bind(3, f.object_type)
        .bind(4, f.actor)
        .bind(5, f.actor)
        .bind(6, f.from.value_or(std::numeric_limits<Instant>::min()))
        .bind(7, f.to.value_or(std::numeric_limits<Instant>::max()))
        .bind(8, f.limit);
    std::vector<ConfigChange> out;
    while (s.step()) {
        ConfigChange c;
        c.id = s.i64(0);
        c.organisation_id = s.i64(1);
        c.at = s.i64(2);
        c.actor = s.text(3);
        c.object_type = s.text(4);
        c.object_id = s.i64(5);
        c.action = s.text(6);
        c.before = s.text(7);
        c.after = s.text(8);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace vg::store::sqlite
