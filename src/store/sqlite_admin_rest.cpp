// SQLite queries of admin-rest (issue 12): the organisation's closed days and message
// texts.
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

std::vector<MessageText> SqliteSession::message_texts(Id org) {
    auto s = c_.prepare(
        "SELECT organisation_id, kind, language, subject, intro FROM message_texts "
        "WHERE organisation_id=? ORDER BY kind, language");
    s.bind(1, org);
    std::vector<MessageText> out;
    while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4)});
    return out;
}

void SqliteSession::put_message_text(const MessageText& t) {
    if (t.subject.empty() && t.intro.empty()) {
        auto s = c_.prepare(
            "DELETE FROM message_texts WHERE organisation_id=? AND kind=? AND language=?");
        s.bind(1, t.organisation_id).bind(2, t.kind).bind(3, t.language);
        s.run();
        return;
    }
    auto s = c_.prepare(
        "INSERT INTO message_texts (organisation_id, kind, language, subject, intro) "
        "VALUES (?,?,?,?,?) ON CONFLICT (organisation_id, kind, language) "
        "DO UPDATE SET subject=excluded.subject, intro=excluded.intro");
    s.bind(1, t.organisation_id)
        .bind(2, t.kind)
        .bind(3, t.language)
        .bind(4, t.subject)
        .bind(5, t.intro);
    s.run();
}

void SqliteSession::set_platform_admin(Id account_id, bool on) {
    auto s = c_.prepare("UPDATE accounts SET is_platform_admin=? WHERE id=?");
    s.bind(1, on ? 1 : 0).bind(2, account_id);
    s.run();
}

}  // namespace vg::store::sqlite
