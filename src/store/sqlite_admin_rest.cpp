// SQLite queries of admin-rest (issue 12): the organisation's closed days.
#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::vector<ClosedDay> SqliteSession::closed_days(Id org, core::LocalDay from) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, site_id, first_day, last_day, label, created_by, "
        "created_at FROM closed_days WHERE organisation_id=? AND last_day >= ? "
        "ORDER BY first_day, id");
    s.bind(1, org).bind(2, std::int64_t(from));
    std::vector<ClosedDay> out;
    while (s.step()) {
        ClosedDay d;
        d.id = s.i64(0);
        d.organisation_id = s.i64(1);
        d.site_id = s.opt_i64(2);
        d.first_day = core::LocalDay(s.i64(3));
        d.last_day = core::LocalDay(s.i64(4));
        d.label = s.text(5);
        d.created_by = s.text(6);
        d.created_at = s.i64(7);
        out.push_back(std::move(d));
    }
    return out;
}

Id SqliteSession::insert_closed_day(const ClosedDay& d) {
    auto s = c_.prepare(
        "INSERT INTO closed_days (organisation_id, site_id, first_day, last_day, label, "
        "created_by, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, d.organisation_id)
        .bind(2, d.site_id)
        .bind(3, std::int64_t(d.first_day))
        .bind(4, std::int64_t(d.last_day))
        .bind(5, d.label)
        .bind(6, d.created_by)
        .bind(7, now());
    s.step();
    return s.i64(0);
}

bool SqliteSession::delete_closed_day(Id org, Id id) {
    auto s = c_.prepare("DELETE FROM closed_days WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
