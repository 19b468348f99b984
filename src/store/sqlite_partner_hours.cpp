// SQLite queries of partner-hours (issue 15, migration 22): a partner site's weekly opening
// hours and exceptional closures. Every query takes the organisation (docs/PARTNERS.md).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

namespace {

bool site_of(Connection& c, Id org, Id site) {
    auto s = c.prepare("SELECT 1 FROM partner_sites WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, site);
    return s.step();
}

}  // namespace

std::vector<PartnerHoursSpan> SqliteSession::partner_hours(Id org, Id site_id) {
    auto s = c_.prepare(
        "SELECT weekday, opens, closes FROM partner_hours WHERE organisation_id=? AND "
        "partner_site_id=? ORDER BY weekday, opens, closes");
    s.bind(1, org).bind(2, site_id);
    std::vector<PartnerHoursSpan> out;
    while (s.step()) out.push_back({s.i32(0), s.i32(1), s.i32(2)});
    return out;
}

bool SqliteSession::replace_partner_hours(Id org, Id site_id,
                                          const std::vector<PartnerHoursSpan>& spans) {
    if (!site_of(c_, org, site_id)) return false;
    auto del =
        c_.prepare("DELETE FROM partner_hours WHERE organisation_id=? AND partner_site_id=?");
    del.bind(1, org).bind(2, site_id);
    del.run();
    for (auto& x : spans) {
        auto s = c_.prepare(
            "INSERT INTO partner_hours (partner_site_id, organisation_id, weekday, opens, closes) "
            "VALUES (?,?,?,?,?)");
        s.bind(1, site_id).bind(2, org).bind(3, x.weekday).bind(4, x.opens).bind(5, x.closes);
        s.run();
    }
    return true;
}

std::vector<PartnerClosure> SqliteSession::partner_closures(Id org, Id site_id,
                                                            std::optional<core::LocalDay> from) {
    auto s = c_.prepare(
        "SELECT id, partner_site_id, organisation_id, from_day, to_day, reason, created_at "
        "FROM partner_closures WHERE organisation_id=? AND partner_site_id=? "
        "AND (? IS NULL OR to_day >= ?) ORDER BY from_day, to_day, id");
    std::optional<std::int64_t> f;
    if (from) f = std::int64_t(*from);
    s.bind(1, org).bind(2, site_id).bind(3, f).bind(4, f);
    std::vector<PartnerClosure> out;
    while (s.step()) {
        PartnerClosure c;
        c.id = s.i64(0);
        c.partner_site_id = s.i64(1);
        c.organisation_id = s.i64(2);
        c.from_day = core::LocalDay(s.i64(3));
        c.to_day = core::LocalDay(s.i64(4));
        c.reason = s.text(5);
        c.created_at = s.i64(6);
        out.push_back(std::move(c));
    }
    return out;
}

Id SqliteSession::insert_partner_closure(const PartnerClosure& c) {
    if (!site_of(c_, c.organisation_id, c.partner_site_id)) return 0;
    auto s = c_.prepare(
        "INSERT INTO partner_closures (partner_site_id, organisation_id, from_day, to_day, "
        "reason, created_at) VALUES (?,?,?,?,?,?) RETURNING id");
    s.bind(1, c.partner_site_id)
        .bind(2, c.organisation_id)
        .bind(3, std::int64_t(c.from_day))
        .bind(4, std::int64_t(c.to_day))
        .bind(5, c.reason)
        .bind(6, now());
    s.step();
    return s.i64(0);
}

bool SqliteSession::delete_partner_closure(Id org, Id site_id, Id id) {
    auto s = c_.prepare(
        "DELETE FROM partner_closures WHERE organisation_id=? AND partner_site_id=? AND id=?");
    s.bind(1, org).bind(2, site_id).bind(3, id);
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
