// SQLite queries of partner-caf (issue 15): what the organisation's overview of its partners
// reads beyond partner-admin's and partner-screens' methods (docs/PARTNERS.md, "The CAF's
// overview").
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

int SqliteSession::partner_bookings_on_behalf(Id org, Id partner_id) {
    auto s = c_.prepare(
        "SELECT COUNT(*) FROM appointments a JOIN partner_sites ps "
        "ON ps.id = a.booked_by_partner_site_id "
        "WHERE ps.organisation_id=? AND ps.partner_id=? AND a.booked_by='partner'");
    s.bind(1, org).bind(2, partner_id);
    s.step();
    return int(s.i64(0));
}

#define VG_NOTICE_COLUMNS \
    "n.convention_id, n.organisation_id, n.given_on, n.given_by, n.actor, n.ends_on, n.created_at"

namespace {
ConventionNotice read_notice(const Stmt& s) {
    return ConventionNotice{s.i64(0),  s.i64(1),  core::LocalDay(s.i64(2)),
                            s.text(3), s.text(4), core::LocalDay(s.i64(5)),
                            s.i64(6)};
}
}  // namespace

bool SqliteSession::insert_convention_notice(const ConventionNotice& n) {
    auto s = c_.prepare(
        "INSERT INTO convention_notices (convention_id, organisation_id, given_on, given_by, "
        "actor, ends_on, created_at) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT (convention_id) DO NOTHING");
    s.bind(1, n.convention_id)
        .bind(2, n.organisation_id)
        .bind(3, std::int64_t(n.given_on))
        .bind(4, n.given_by)
        .bind(5, n.actor)
        .bind(6, std::int64_t(n.ends_on))
        .bind(7, now());
    s.run();
    return c_.changes() == 1;
}

std::optional<ConventionNotice> SqliteSession::convention_notice(Id org, Id convention_id) {
    auto s = c_.prepare("SELECT " VG_NOTICE_COLUMNS
                        " FROM convention_notices n WHERE n.organisation_id=? AND "
                        "n.convention_id=?");
    s.bind(1, org).bind(2, convention_id);
    if (!s.step()) return std::nullopt;
    return read_notice(s);
}

std::vector<ConventionNotice> SqliteSession::live_convention_notices() {
    auto s = c_.prepare("SELECT " VG_NOTICE_COLUMNS
                        " FROM convention_notices n JOIN conventions c ON c.id = n.convention_id "
                        "WHERE c.ended_on IS NULL ORDER BY n.convention_id");
    std::vector<ConventionNotice> out;
    while (s.step()) out.push_back(read_notice(s));
    return out;
}

namespace {
// Archives one row of the organisation not archived yet; sql: "UPDATE <table> SET
// archived_at=? WHERE organisation_id=? AND id=? AND archived_at IS NULL" (a literal: the
// statement cache).
bool archive(Connection& c, const char* sql, Id org, Id id, Instant at) {
    auto s = c.prepare(sql);
    s.bind(1, at).bind(2, org).bind(3, id);
    s.run();
    return c.changes() == 1;
}
}  // namespace

bool SqliteSession::archive_partner(Id org, Id id, Instant at) {
    return archive(c_,
                   "UPDATE partners SET archived_at=? WHERE organisation_id=? AND id=? AND "
                   "archived_at IS NULL",
                   org, id, at);
}

bool SqliteSession::archive_partner_site(Id org, Id id, Instant at) {
    return archive(c_,
                   "UPDATE partner_sites SET archived_at=? WHERE organisation_id=? AND id=? AND "
                   "archived_at IS NULL",
                   org, id, at);
}

Id SqliteSession::insert_partner_training(const PartnerTraining& t) {
    auto s = c_.prepare(
        "INSERT INTO partner_trainings (partner_id, organisation_id, person, account_id, title, "
        "kind, attended_on, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, t.partner_id)
        .bind(2, t.organisation_id)
        .bind(3, t.person)
        .bind(4, t.account_id)
        .bind(5, t.title)
        .bind(6, t.kind)
        .bind(7, std::int64_t(t.attended_on))
        .bind(8, now());
    s.step();
    return s.i64(0);
}

std::vector<PartnerTraining> SqliteSession::partner_trainings(Id org, Id partner_id) {
    auto s = c_.prepare(
        "SELECT id, partner_id, organisation_id, person, account_id, title, kind, attended_on, "
        "created_at FROM partner_trainings WHERE organisation_id=? AND partner_id=? "
        "ORDER BY attended_on DESC, id DESC");
    s.bind(1, org).bind(2, partner_id);
    std::vector<PartnerTraining> out;
    while (s.step())
        out.push_back(PartnerTraining{s.i64(0), s.i64(1), s.i64(2), s.text(3), s.opt_i64(4),
                                      s.text(5), s.text(6), core::LocalDay(s.i64(7)), s.i64(8)});
    return out;
}

}  // namespace vg::store::sqlite
