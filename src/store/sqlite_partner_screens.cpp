// SQLite queries of partner-screens (issue 15, migration 22): the visits a partner logs
// (Annexe 2) and the period's reports it submits. Every read takes the organisation and the
// partner (docs/PARTNERS.md, "The partner's screens").
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

Id SqliteSession::insert_partner_visit(const PartnerVisit& v) {
    auto s = c_.prepare(
        "INSERT INTO partner_visits (partner_site_id, partner_id, organisation_id, account_id, "
        "day, sex, age_band, allocataire, autonomy, resolved, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, v.partner_site_id)
        .bind(2, v.partner_id)
        .bind(3, v.organisation_id)
        .bind(4, v.account_id)
        .bind(5, std::int64_t(v.day))
        .bind(6, core::code(v.visit.sex))
        .bind(7, core::code(v.visit.age_band))
        .bind(8, v.visit.allocataire == core::Allocataire::yes ? 1 : 0)
        .bind(9, core::code(v.visit.autonomy))
        .bind(10, core::code(v.visit.resolved))
        .bind(11, now());
    s.step();
    Id id = s.i64(0);
    for (auto& c : v.visit.cells) {
        auto x = c_.prepare(
            "INSERT INTO partner_visit_cells (visit_id, request, action) VALUES (?,?,?)");
        x.bind(1, id).bind(2, core::code(c.request)).bind(3, core::code(c.action));
        x.run();
    }
    for (auto t : v.visit.themes) {
        auto x = c_.prepare("INSERT INTO partner_visit_themes (visit_id, theme) VALUES (?,?)");
        x.bind(1, id).bind(2, core::code(t));
        x.run();
    }
    return id;
}

namespace {

// The visits of one partner over a period of days, on partner_visits aliased v; its four
// parameters are bound by bind_period.
#define VG_PERIOD_VISITS "v.organisation_id=? AND v.partner_id=? AND v.day BETWEEN ? AND ?"

Stmt bind_period(Stmt s, Id org, Id partner_id, core::LocalDay from, core::LocalDay to) {
    s.bind(1, org).bind(2, partner_id).bind(3, std::int64_t(from)).bind(4, std::int64_t(to));
    return s;
}

PartnerVisit read_visit(const Stmt& s) {
    PartnerVisit v;
    v.id = s.i64(0);
    v.partner_site_id = s.i64(1);
    v.partner_id = s.i64(2);
    v.organisation_id = s.i64(3);
    v.account_id = s.opt_i64(4);
    v.day = core::LocalDay(s.i64(5));
    // Rows are written from parsed codes only; an unknown one keeps the default.
    if (auto x = core::parse_code<core::Sex>(s.text(6))) v.visit.sex = *x;
    if (auto x = core::parse_code<core::AgeBand>(s.text(7))) v.visit.age_band = *x;
    v.visit.allocataire = s.i64(8) ? core::Allocataire::yes : core::Allocataire::no;
    if (auto x = core::parse_code<core::Autonomy>(s.text(9))) v.visit.autonomy = *x;
    if (auto x = core::parse_code<core::Resolved>(s.text(10))) v.visit.resolved = *x;
    v.created_at = s.i64(11);
    return v;
}

// Hands each row of a visit's detail table (its visit id first) to add(visit, row), for the
// visits read (index: visit id -> position in visits).
template <class F>
void add_details(Stmt s, std::vector<PartnerVisit>& visits, const std::map<Id, std::size_t>& index,
                 F add) {
    while (s.step())
        if (auto it = index.find(s.i64(0)); it != index.end()) add(visits[it->second].visit, s);
}

}  // namespace

std::vector<PartnerVisit> SqliteSession::partner_visits(Id org, Id partner_id, core::LocalDay from,
                                                        core::LocalDay to) {
    std::vector<PartnerVisit> out;
    std::map<Id, std::size_t> index;
    auto s =
        bind_period(c_.prepare("SELECT id, partner_site_id, partner_id, organisation_id, "
                               "account_id, day, sex, age_band, allocataire, autonomy, "
                               "resolved, created_at FROM partner_visits v WHERE " VG_PERIOD_VISITS
                               " ORDER BY day, id"),
                    org, partner_id, from, to);
    while (s.step()) {
        index[s.i64(0)] = out.size();
        out.push_back(read_visit(s));
    }
    if (out.empty()) return out;
    add_details(bind_period(c_.prepare("SELECT c.visit_id, c.request, c.action FROM "
                                       "partner_visit_cells c JOIN partner_visits v ON v.id = "
                                       "c.visit_id WHERE " VG_PERIOD_VISITS),
                            org, partner_id, from, to),
                out, index, [](core::Visit& v, const Stmt& row) {
                    auto r = core::parse_code<core::Request>(row.text(1));
                    auto a = core::parse_code<core::Action>(row.text(2));
                    if (r && a) v.cells.insert({*r, *a});
                });
    add_details(
        bind_period(
            c_.prepare("SELECT t.visit_id, t.theme FROM partner_visit_themes t "
                       "JOIN partner_visits v ON v.id = t.visit_id WHERE " VG_PERIOD_VISITS),
            org, partner_id, from, to),
        out, index, [](core::Visit& v, const Stmt& row) {
            if (auto t = core::parse_code<core::Theme>(row.text(1))) v.themes.insert(*t);
        });
    return out;
}

bool SqliteSession::delete_partner_visit(Id org, Id partner_id, Id id, core::LocalDay day) {
    auto check = c_.prepare(
        "SELECT 1 FROM partner_visits WHERE id=? AND organisation_id=? AND partner_id=? AND "
        "day=?");
    check.bind(1, id).bind(2, org).bind(3, partner_id).bind(4, std::int64_t(day));
    if (!check.step()) return false;
    // Its cells and themes first, then the visit (string literals: the statement cache).
    for (const char* sql : {"DELETE FROM partner_visit_cells WHERE visit_id=?",
                            "DELETE FROM partner_visit_themes WHERE visit_id=?",
                            "DELETE FROM partner_visits WHERE id=?"}) {
        auto x = c_.prepare(sql);
        x.bind(1, id);
        x.run();
    }
    return true;
}

std::optional<PartnerReport> SqliteSession::partner_report(Id org, Id partner_id,
                                                           const std::string& period) {
    auto s = c_.prepare(
        "SELECT id, partner_id, organisation_id, period, submitted_by, submitted_at, late, "
        "comment FROM partner_reports WHERE organisation_id=? AND partner_id=? AND period=?");
    s.bind(1, org).bind(2, partner_id).bind(3, period);
    if (!s.step()) return std::nullopt;
    return PartnerReport{s.i64(0),     s.i64(1), s.i64(2),      s.text(3),
                         s.opt_i64(4), s.i64(5), s.i64(6) != 0, s.text(7)};
}

bool SqliteSession::insert_partner_report(const PartnerReport& r) {
    auto s = c_.prepare(
        "INSERT INTO partner_reports (partner_id, organisation_id, period, submitted_by, "
        "submitted_at, late, comment) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT (partner_id, period) DO NOTHING");
    s.bind(1, r.partner_id)
        .bind(2, r.organisation_id)
        .bind(3, r.period)
        .bind(4, r.submitted_by)
        .bind(5, now())
        .bind(6, r.late ? 1 : 0)
        .bind(7, r.comment);
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
