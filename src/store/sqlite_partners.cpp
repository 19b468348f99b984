// SQLite queries of partner-admin (issue 15, migration 22): partner structures, their sites
// and staff, conventions with their action plan, the label's history and the notice
// reminders. Every read of an id takes the organisation (docs/PARTNERS.md).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

namespace {

#define VG_PARTNER_COLUMNS                                                               \
    "id, organisation_id, name, town, responsible_name, responsible_email, created_at, " \
    "archived_at"

Partner read_partner(const Stmt& s) {
    Partner p;
    p.id = s.i64(0);
    p.organisation_id = s.i64(1);
    p.name = s.text(2);
    p.town = s.text(3);
    p.responsible_name = s.text(4);
    p.responsible_email = s.text(5);
    p.created_at = s.i64(6);
    p.archived_at = s.opt_i64(7);
    return p;
}

#define VG_PARTNER_SITE_COLUMNS                                                                 \
    "id, partner_id, organisation_id, name, address, postcode, town, timezone, accessibility, " \
    "step_free, equipment, video_desk, created_at, archived_at"

PartnerSite read_site(const Stmt& s) {
    PartnerSite x;
    x.id = s.i64(0);
    x.partner_id = s.i64(1);
    x.organisation_id = s.i64(2);
    x.name = s.text(3);
    x.address = s.text(4);
    x.postcode = s.text(5);
    x.town = s.text(6);
    x.timezone = s.text(7);
    x.accessibility = s.text(8);
    x.step_free = s.i64(9) != 0;
    x.equipment = s.text(10);
    x.video_desk = s.i64(11) != 0;
    x.created_at = s.i64(12);
    x.archived_at = s.opt_i64(13);
    return x;
}

#define VG_CONVENTION_COLUMNS                                                               \
    "id, partner_id, organisation_id, signed_on, term_months, reporting_period, "           \
    "option_video_desk, option_visio, responsible_name, responsible_email, director_name, " \
    "committee_on, visit_on, visit_findings, ended_on, end_reason, created_by, created_at"

std::optional<core::LocalDay> opt_day(const Stmt& s, int col) {
    auto v = s.opt_i64(col);
    if (!v) return std::nullopt;
    return core::LocalDay(*v);
}

std::optional<std::int64_t> day_value(const std::optional<core::LocalDay>& d) {
    if (!d) return std::nullopt;
    return std::int64_t(*d);
}

Convention read_convention(const Stmt& s) {
    Convention c;
    c.id = s.i64(0);
    c.partner_id = s.i64(1);
    c.organisation_id = s.i64(2);
    c.signed_on = core::LocalDay(s.i64(3));
    c.term_months = s.i32(4);
    c.reporting_period = s.text(5);
    c.option_video_desk = s.i64(6) != 0;
    c.option_visio = s.i64(7) != 0;
    c.responsible_name = s.text(8);
    c.responsible_email = s.text(9);
    c.director_name = s.text(10);
    c.committee_on = opt_day(s, 11);
    c.visit_on = opt_day(s, 12);
    c.visit_findings = s.text(13);
    c.ended_on = opt_day(s, 14);
    if (!s.is_null(15)) c.end_reason = s.text(15);
    c.created_by = s.text(16);
    c.created_at = s.i64(17);
    return c;
}

// The edited columns, bound from parameter `first` in the same order for INSERT and UPDATE:
// a partner's (name ... responsible_email, 4), a site's (name ... video_desk, 9), a
// convention's (term_months ... visit_findings, 10).
void bind_partner(Stmt& s, int first, const Partner& p) {
    s.bind(first, p.name)
        .bind(first + 1, p.town)
        .bind(first + 2, p.responsible_name)
        .bind(first + 3, p.responsible_email);
}

void bind_partner_site(Stmt& s, int first, const PartnerSite& x) {
    s.bind(first, x.name)
        .bind(first + 1, x.address)
        .bind(first + 2, x.postcode)
        .bind(first + 3, x.town)
        .bind(first + 4, x.timezone)
        .bind(first + 5, x.accessibility)
        .bind(first + 6, x.step_free ? 1 : 0)
        .bind(first + 7, x.equipment)
        .bind(first + 8, x.video_desk ? 1 : 0);
}

void bind_convention(Stmt& s, int first, const Convention& c) {
    s.bind(first, c.term_months)
        .bind(first + 1, c.reporting_period)
        .bind(first + 2, c.option_video_desk ? 1 : 0)
        .bind(first + 3, c.option_visio ? 1 : 0)
        .bind(first + 4, c.responsible_name)
        .bind(first + 5, c.responsible_email)
        .bind(first + 6, c.director_name)
        .bind(first + 7, day_value(c.committee_on))
        .bind(first + 8, day_value(c.visit_on))
        .bind(first + 9, c.visit_findings);
}

}  // namespace

Id SqliteSession::insert_partner(const Partner& p) {
    auto s = c_.prepare(
        "INSERT INTO partners (organisation_id, name, town, responsible_name, responsible_email, "
        "created_at) VALUES (?,?,?,?,?,?) RETURNING id");
    s.bind(1, p.organisation_id);
    bind_partner(s, 2, p);
    s.bind(6, now());
    s.step();
    return s.i64(0);
}

bool SqliteSession::update_partner(const Partner& p) {
    auto s = c_.prepare(
        "UPDATE partners SET name=?, town=?, responsible_name=?, responsible_email=? "
        "WHERE organisation_id=? AND id=?");
    bind_partner(s, 1, p);
    s.bind(5, p.organisation_id).bind(6, p.id);
    s.run();
    return c_.changes() == 1;
}

std::vector<Partner> SqliteSession::partners(Id org) {
    auto s = c_.prepare("SELECT " VG_PARTNER_COLUMNS
                        " FROM partners WHERE organisation_id=? ORDER BY name, id");
    s.bind(1, org);
    std::vector<Partner> out;
    while (s.step()) out.push_back(read_partner(s));
    return out;
}

std::optional<Partner> SqliteSession::partner(Id org, Id id) {
    auto s =
        c_.prepare("SELECT " VG_PARTNER_COLUMNS " FROM partners WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return read_partner(s);
}

Id SqliteSession::insert_partner_site(const PartnerSite& x) {
    auto s = c_.prepare(
        "INSERT INTO partner_sites (partner_id, organisation_id, name, address, postcode, town, "
        "timezone, accessibility, step_free, equipment, video_desk, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, x.partner_id).bind(2, x.organisation_id);
    bind_partner_site(s, 3, x);
    s.bind(12, now());
    s.step();
    return s.i64(0);
}

bool SqliteSession::update_partner_site(const PartnerSite& x) {
    auto s = c_.prepare(
        "UPDATE partner_sites SET name=?, address=?, postcode=?, town=?, timezone=?, "
        "accessibility=?, step_free=?, equipment=?, video_desk=? "
        "WHERE organisation_id=? AND id=?");
    bind_partner_site(s, 1, x);
    s.bind(10, x.organisation_id).bind(11, x.id);
    s.run();
    return c_.changes() == 1;
}

std::vector<PartnerSite> SqliteSession::partner_sites(Id org, std::optional<Id> partner_id) {
    auto s = c_.prepare("SELECT " VG_PARTNER_SITE_COLUMNS
                        " FROM partner_sites WHERE organisation_id=? "
                        "AND (? IS NULL OR partner_id=?) ORDER BY partner_id, name, id");
    s.bind(1, org).bind(2, partner_id).bind(3, partner_id);
    std::vector<PartnerSite> out;
    while (s.step()) out.push_back(read_site(s));
    return out;
}

std::optional<PartnerSite> SqliteSession::partner_site(Id org, Id id) {
    auto s = c_.prepare("SELECT " VG_PARTNER_SITE_COLUMNS
                        " FROM partner_sites WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return read_site(s);
}

std::vector<PartnerStaff> SqliteSession::partner_staff(Id org, std::optional<Id> partner_id) {
    auto s = c_.prepare(
        "SELECT a.id, a.email, a.display_name, a.password_hash IS NOT NULL, a.disabled_at, "
        "m.partner_id FROM memberships m JOIN accounts a ON a.id = m.account_id "
        "WHERE m.organisation_id=? AND m.role='partner' AND m.partner_id IS NOT NULL "
        "AND (? IS NULL OR m.partner_id=?) ORDER BY a.email_key");
    s.bind(1, org).bind(2, partner_id).bind(3, partner_id);
    std::vector<PartnerStaff> out;
    while (s.step()) {
        PartnerStaff p;
        p.account.id = s.i64(0);
        p.account.email = s.text(1);
        p.account.display_name = s.text(2);
        if (s.i64(3) != 0) p.account.password_hash = "";  // set (the hash is not read)
        p.account.disabled_at = s.opt_i64(4);
        p.partner_id = s.i64(5);
        out.push_back(std::move(p));
    }
    return out;
}

Id SqliteSession::insert_convention(const Convention& c) {
    auto s = c_.prepare(
        "INSERT INTO conventions (partner_id, organisation_id, signed_on, term_months, "
        "reporting_period, option_video_desk, option_visio, responsible_name, "
        "responsible_email, director_name, committee_on, visit_on, visit_findings, "
        "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, c.partner_id).bind(2, c.organisation_id).bind(3, std::int64_t(c.signed_on));
    bind_convention(s, 4, c);
    s.bind(14, c.created_by).bind(15, now());
    s.step();
    return s.i64(0);
}

bool SqliteSession::update_convention(const Convention& c) {
    auto s = c_.prepare(
        "UPDATE conventions SET term_months=?, reporting_period=?, option_video_desk=?, "
        "option_visio=?, responsible_name=?, responsible_email=?, director_name=?, "
        "committee_on=?, visit_on=?, visit_findings=? WHERE organisation_id=? AND id=?");
    bind_convention(s, 1, c);
    s.bind(11, c.organisation_id).bind(12, c.id);
    s.run();
    return c_.changes() == 1;
}

std::optional<Convention> SqliteSession::latest_convention(Id org, Id partner_id) {
    auto s = c_.prepare("SELECT " VG_CONVENTION_COLUMNS
                        " FROM conventions WHERE organisation_id=? AND partner_id=? "
                        "ORDER BY id DESC LIMIT 1");
    s.bind(1, org).bind(2, partner_id);
    if (!s.step()) return std::nullopt;
    return read_convention(s);
}

std::optional<Convention> SqliteSession::convention(Id org, Id id) {
    auto s = c_.prepare("SELECT " VG_CONVENTION_COLUMNS
                        " FROM conventions WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return read_convention(s);
}

std::vector<Convention> SqliteSession::live_conventions() {
    auto s = c_.prepare("SELECT " VG_CONVENTION_COLUMNS
                        " FROM conventions WHERE ended_on IS NULL ORDER BY id");
    std::vector<Convention> out;
    while (s.step()) out.push_back(read_convention(s));
    return out;
}

bool SqliteSession::end_convention(Id org, Id id, core::LocalDay on, const std::string& reason) {
    auto s = c_.prepare(
        "UPDATE conventions SET ended_on=?, end_reason=? "
        "WHERE organisation_id=? AND id=? AND ended_on IS NULL");
    s.bind(1, std::int64_t(on)).bind(2, reason).bind(3, org).bind(4, id);
    s.run();
    return c_.changes() == 1;
}

Id SqliteSession::insert_convention_action(const ConventionAction& a) {
    auto s = c_.prepare(
        "INSERT INTO convention_actions (convention_id, organisation_id, item, owner, due_on, "
        "created_at) VALUES (?,?,?,?,?,?) RETURNING id");
    s.bind(1, a.convention_id)
        .bind(2, a.organisation_id)
        .bind(3, a.item)
        .bind(4, a.owner)
        .bind(5, day_value(a.due_on))
        .bind(6, now());
    s.step();
    return s.i64(0);
}

std::vector<ConventionAction> SqliteSession::convention_actions(Id org, Id convention_id) {
    auto s = c_.prepare(
        "SELECT id, convention_id, organisation_id, item, owner, due_on, done_at, created_at "
        "FROM convention_actions WHERE organisation_id=? AND convention_id=? "
        "ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, "
        "CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id");
    s.bind(1, org).bind(2, convention_id);
    std::vector<ConventionAction> out;
    while (s.step()) {
        ConventionAction a;
        a.id = s.i64(0);
        a.convention_id = s.i64(1);
        a.organisation_id = s.i64(2);
        a.item = s.text(3);
        a.owner = s.text(4);
        a.due_on = opt_day(s, 5);
        a.done_at = s.opt_i64(6);
        a.created_at = s.i64(7);
        out.push_back(std::move(a));
    }
    return out;
}

bool SqliteSession::set_convention_action_done(Id org, Id id, std::optional<Instant> at) {
    auto s = c_.prepare("UPDATE convention_actions SET done_at=? WHERE organisation_id=? AND id=?");
    s.bind(1, at).bind(2, org).bind(3, id);
    s.run();
    return c_.changes() == 1;
}

Id SqliteSession::insert_label_event(const LabelEvent& e) {
    auto s = c_.prepare(
        "INSERT INTO label_events (partner_id, organisation_id, convention_id, kind, reason, "
        "actor, at) VALUES (?,?,?,?,?,?,?) RETURNING id");
    s.bind(1, e.partner_id)
        .bind(2, e.organisation_id)
        .bind(3, e.convention_id)
        .bind(4, e.kind)
        .bind(5, e.reason)
        .bind(6, e.actor)
        .bind(7, now());
    s.step();
    return s.i64(0);
}

std::vector<LabelEvent> SqliteSession::label_events(Id org, Id partner_id) {
    auto s = c_.prepare(
        "SELECT id, partner_id, organisation_id, convention_id, kind, reason, actor, at "
        "FROM label_events WHERE organisation_id=? AND partner_id=? ORDER BY at DESC, id DESC");
    s.bind(1, org).bind(2, partner_id);
    std::vector<LabelEvent> out;
    while (s.step())
        out.push_back({s.i64(0), s.i64(1), s.i64(2), s.opt_i64(3), s.text(4), s.text(5), s.text(6),
                       s.i64(7)});
    return out;
}

bool SqliteSession::claim_convention_reminder(Id convention_id, core::LocalDay term_end) {
    auto s = c_.prepare(
        "INSERT INTO convention_reminders (convention_id, term_end, queued_at) VALUES (?,?,?) "
        "ON CONFLICT (convention_id, term_end) DO NOTHING");
    s.bind(1, convention_id).bind(2, std::int64_t(term_end)).bind(3, now());
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::claim_report_overdue(Id partner_id, const std::string& period) {
    auto s = c_.prepare(
        "INSERT INTO partner_report_reminders (partner_id, period, queued_at) VALUES (?,?,?) "
        "ON CONFLICT (partner_id, period) DO NOTHING");
    s.bind(1, partner_id).bind(2, period).bind(3, now());
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
