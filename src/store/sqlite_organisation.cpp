// SQLite queries: Organisation data: organisations, terms, sites, motifs, agents, plans and
// absences.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

using nlohmann::json;

std::optional<Organisation> SqliteSession::organisation_by_slug(const std::string& slug) {
    auto s = c_.prepare(VG_ORG_SELECT "WHERE slug=?");
    s.bind(1, slug);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::optional<Organisation> SqliteSession::organisation_by_id(Id id) {
    auto s = c_.prepare(VG_ORG_SELECT "WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::vector<Organisation> SqliteSession::organisations() {
    auto s = c_.prepare(VG_ORG_SELECT "ORDER BY id");
    std::vector<Organisation> out;
    while (s.step()) out.push_back(read_org(s));
    return out;
}

std::optional<Terms> SqliteSession::current_terms(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, version, text, conduct_rules, published_at FROM terms "
        "WHERE organisation_id=? ORDER BY version DESC LIMIT 1");
    s.bind(1, org);
    if (!s.step()) return std::nullopt;
    return read_terms(s);
}

std::vector<Site> SqliteSession::sites(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, name, address, postal_code, city, time_zone, "
        "access_notes, is_partner, holiday_region FROM sites WHERE organisation_id=? "
        "ORDER BY is_partner, name");
    s.bind(1, org);
    std::vector<Site> out;
    while (s.step()) {
        Site x;
        x.id = s.i64(0);
        x.organisation_id = s.i64(1);
        x.name = s.text(2);
        x.address = s.text(3);
        x.postal_code = s.text(4);
        x.city = s.text(5);
        x.time_zone = s.text(6);
        x.access_notes = LocalText::from_json(s.text(7));
        x.is_partner = s.i32(8) != 0;
        x.holiday_region = s.text(9);
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Motif> SqliteSession::motifs(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, code, name, theme, documents, duration_minutes, "
        "buffer_minutes, min_lead_minutes, horizon_days, channels, is_public, "
        "asks_beneficiary_number, reminder_minutes, position, open_to_partners FROM motifs "
        "WHERE organisation_id=? ORDER BY position, id");
    s.bind(1, org);
    std::vector<Motif> out;
    while (s.step()) {
        Motif m;
        m.id = s.i64(0);
        m.organisation_id = s.i64(1);
        m.code = s.text(2);
        m.name = LocalText::from_json(s.text(3));
        m.theme = LocalText::from_json(s.text(4));
        m.documents = LocalText::from_json(s.text(5));
        m.rules.id = m.id;
        m.rules.duration_minutes = s.i32(6);
        m.rules.buffer_minutes = s.i32(7);
        m.rules.min_lead_minutes = s.i32(8);
        m.rules.horizon_days = s.i32(9);
        m.rules.channels = std::uint8_t(s.i32(10));
        m.is_public = s.i32(11) != 0;
        m.asks_beneficiary_number = s.i32(12) != 0;
        m.reminder_minutes.clear();
        auto j = json::parse(s.text(13), nullptr, false);
        if (j.is_array())
            for (auto& v : j)
                if (v.is_number_integer()) m.reminder_minutes.push_back(v.get<int>());
        m.position = s.i32(14);
        m.open_to_partners = s.i32(15) != 0;
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Agent> SqliteSession::agents(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, display_name, email, notify_mode, active FROM agents "
        "WHERE organisation_id=? ORDER BY id");
    s.bind(1, org);
    std::vector<Agent> out;
    while (s.step()) {
        Agent a;
        a.id = s.i64(0);
        a.organisation_id = s.i64(1);
        a.display_name = s.text(2);
        a.email = s.text(3);
        a.notify_mode = s.text(4);
        a.active = s.i32(5) != 0;
        out.push_back(std::move(a));
    }
    return out;
}

std::optional<Agent> SqliteSession::agent(Id org, Id id) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, display_name, email, notify_mode, active FROM agents "
        "WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return Agent{s.i64(0), s.i64(1), s.text(2), s.text(3), s.text(4), s.i32(5) != 0};
}

Id SqliteSession::insert_organisation(const Organisation& o) {
    auto s = c_.prepare(
        "INSERT INTO organisations (slug, name, languages, default_time_zone, "
        "holiday_region, brand_colour, logo_url, sender_email, reply_to, mediation_contact, "
        "created_at, sms_gateway) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, o.slug)
        .bind(2, o.name)
        .bind(3, join(o.languages))
        .bind(4, o.default_time_zone)
        .bind(5, o.holiday_region)
        .bind(6, o.brand_colour)
        .bind(7, o.logo_url)
        .bind(8, o.sender_email)
        .bind(9, o.reply_to)
        .bind(10, o.mediation_contact)
        .bind(11, now())
        .bind(12, o.sms_gateway);
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_terms(const Terms& t) {
    auto s = c_.prepare(
        "INSERT INTO terms (organisation_id, version, text, conduct_rules, published_at) "
        "VALUES (?,?,?,?,?)");
    s.bind(1, t.organisation_id)
        .bind(2, t.version)
        .bind(3, t.text.to_json())
        .bind(4, t.conduct_rules.to_json())
        .bind(5, t.published_at ? t.published_at : now());
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_site(const Site& x) {
    auto s = c_.prepare(
        "INSERT INTO sites (organisation_id, name, address, postal_code, city, time_zone, "
        "access_notes, is_partner, holiday_region) VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, x.organisation_id);
    bind_site(s, 2, x);
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_motif(const Motif& m) {
    auto s = c_.prepare(
        "INSERT INTO motifs (organisation_id, code, name, theme, documents, "
        "duration_minutes, buffer_minutes, min_lead_minutes, horizon_days, channels, "
        "is_public, asks_beneficiary_number, reminder_minutes, position, open_to_partners) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, m.organisation_id);
    bind_motif(s, 2, m);
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_agent(const Agent& a) {
    auto s = c_.prepare(
        "INSERT INTO agents (organisation_id, display_name, email, notify_mode, active) "
        "VALUES (?,?,?,?,?)");
    s.bind(1, a.organisation_id)
        .bind(2, a.display_name)
        .bind(3, a.email)
        .bind(4, a.notify_mode)
        .bind(5, a.active ? 1 : 0);
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_plan(Id org, const core::OpeningPlan& p) {
    auto s = c_.prepare(
        "INSERT INTO opening_plans (organisation_id, agent_id, site_id, weekdays, "
        "start_minute, end_minute, valid_from, valid_until, every_n_weeks, channels, "
        "motif_ids) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, org).bind(2, p.agent_id).bind(3, p.site_id);
    bind_rule(s, 4, p.rule);
    s.bind(10, int(p.channels)).bind(11, ids_to_json(p.motif_ids));
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_absence(Id org, const core::Absence& a, const std::string& reason) {
    auto s = c_.prepare(
        "INSERT INTO absences (organisation_id, agent_id, starts_at, ends_at, reason) "
        "VALUES (?,?,?,?,?)");
    s.bind(1, org).bind(2, a.agent_id).bind(3, a.span.start).bind(4, a.span.end).bind(5, reason);
    s.run();
    return c_.last_insert_id();
}

Id SqliteSession::insert_recurring_absence(Id org, const core::RecurringAbsence& a,
                                           const std::string& reason) {
    auto s = c_.prepare(
        "INSERT INTO recurring_absences (organisation_id, agent_id, weekdays, start_minute, "
        "end_minute, valid_from, valid_until, every_n_weeks, reason) "
        "VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, org).bind(2, a.agent_id);
    bind_rule(s, 3, a.rule);
    s.bind(9, reason);
    s.run();
    return c_.last_insert_id();
}

}  // namespace vg::store::sqlite
