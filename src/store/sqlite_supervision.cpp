// SQLite queries: an agent's own availability (plans, absences) as the console lists and
// edits it, the appointments a supervisor looks at, and site closures (issue 12).
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

namespace {

#define VG_PLAN_SELECT                                                                            \
    "SELECT id, agent_id, site_id, weekdays, start_minute, end_minute, valid_from, valid_until, " \
    "every_n_weeks, channels, motif_ids FROM opening_plans "

core::OpeningPlan read_plan(const Stmt& s) {
    core::OpeningPlan p;
    p.id = s.i64(0);
    p.agent_id = s.i64(1);
    p.site_id = s.i64(2);
    p.rule = read_rule(s, 3);
    p.channels = std::uint8_t(s.i32(9));
    p.motif_ids = ids_from_json(s.text(10));
    return p;
}

}  // namespace

std::vector<core::OpeningPlan> SqliteSession::plans(Id org, std::optional<Id> agent) {
    auto s = c_.prepare(VG_PLAN_SELECT
                        "WHERE organisation_id=? AND agent_id = COALESCE(?, agent_id) "
                        "ORDER BY agent_id, id");
    s.bind(1, org).bind(2, agent);
    std::vector<core::OpeningPlan> out;
    while (s.step()) out.push_back(read_plan(s));
    return out;
}

std::optional<core::OpeningPlan> SqliteSession::plan(Id org, Id id) {
    auto s = c_.prepare(VG_PLAN_SELECT "WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return read_plan(s);
}

bool SqliteSession::update_plan(Id org, const core::OpeningPlan& p) {
    auto s = c_.prepare(
        "UPDATE opening_plans SET agent_id=?, site_id=?, weekdays=?, start_minute=?, "
        "end_minute=?, valid_from=?, valid_until=?, every_n_weeks=?, channels=?, motif_ids=? "
        "WHERE organisation_id=? AND id=?");
    s.bind(1, p.agent_id).bind(2, p.site_id);
    bind_rule(s, 3, p.rule);
    s.bind(9, int(p.channels)).bind(10, ids_to_json(p.motif_ids)).bind(11, org).bind(12, p.id);
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::delete_plan(Id org, Id id) {
    auto s = c_.prepare("DELETE FROM opening_plans WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    s.run();
    return c_.changes() == 1;
}

std::vector<AbsenceRow> SqliteSession::absences(Id org, Id agent, Instant after) {
    auto s = c_.prepare(
        "SELECT id, agent_id, starts_at, ends_at, reason FROM absences "
        "WHERE organisation_id=? AND agent_id=? AND ends_at > ? ORDER BY starts_at, id");
    s.bind(1, org).bind(2, agent).bind(3, after);
    std::vector<AbsenceRow> out;
    while (s.step()) out.push_back({s.i64(0), {s.i64(1), {s.i64(2), s.i64(3)}}, s.text(4)});
    return out;
}

std::optional<AbsenceRow> SqliteSession::absence(Id org, Id id) {
    auto s = c_.prepare(
        "SELECT id, agent_id, starts_at, ends_at, reason FROM absences "
        "WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return AbsenceRow{s.i64(0), {s.i64(1), {s.i64(2), s.i64(3)}}, s.text(4)};
}

bool SqliteSession::delete_absence(Id org, Id id) {
    auto s = c_.prepare("DELETE FROM absences WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    s.run();
    return c_.changes() == 1;
}

std::vector<RecurringAbsenceRow> SqliteSession::recurring_absences(Id org, Id agent) {
    auto s = c_.prepare(
        "SELECT id, agent_id, weekdays, start_minute, end_minute, valid_from, valid_until, "
        "every_n_weeks, reason FROM recurring_absences WHERE organisation_id=? AND agent_id=? "
        "ORDER BY id");
    s.bind(1, org).bind(2, agent);
    std::vector<RecurringAbsenceRow> out;
    while (s.step()) out.push_back({s.i64(0), {s.i64(1), read_rule(s, 2)}, s.text(8)});
    return out;
}

std::optional<RecurringAbsenceRow> SqliteSession::recurring_absence(Id org, Id id) {
    auto s = c_.prepare(
        "SELECT id, agent_id, weekdays, start_minute, end_minute, valid_from, valid_until, "
        "every_n_weeks, reason FROM recurring_absences WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return RecurringAbsenceRow{s.i64(0), {s.i64(1), read_rule(s, 2)}, s.text(8)};
}

bool SqliteSession::delete_recurring_absence(Id org, Id id) {
    auto s = c_.prepare("DELETE FROM recurring_absences WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    s.run();
    return c_.changes() == 1;
}

std::vector<Appointment> SqliteSession::appointments_between(Id org, Instant from, Instant to,
                                                             bool live_only,
                                                             std::optional<Id> agent,
                                                             std::optional<Id> site) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE organisation_id=? AND starts_at >= ? "
                        "AND starts_at < ? AND (? = 0 OR status IN ('booked','confirmed')) "
                        "AND agent_id = COALESCE(?, agent_id) AND site_id = COALESCE(?, site_id) "
                        "ORDER BY starts_at, id");
    s.bind(1, org).bind(2, from).bind(3, to).bind(4, live_only ? 1 : 0);
    s.bind(5, agent).bind(6, site);
    std::vector<Appointment> out;
    while (s.step()) out.push_back(read_appointment(s));
    return out;
}

bool SqliteSession::insert_site_closure(const SiteClosure& c) {
    auto s = c_.prepare(
        "INSERT INTO site_closures (organisation_id, site_id, day, reason, created_by, "
        "created_at) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    s.bind(1, c.organisation_id)
        .bind(2, c.site_id)
        .bind(3, std::int64_t(c.day))
        .bind(4, c.reason)
        .bind(5, c.created_by)
        .bind(6, now());
    s.run();
    return c_.changes() == 1;
}

std::vector<SiteClosure> SqliteSession::site_closures(Id org, core::LocalDay from,
                                                      core::LocalDay to) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, site_id, day, reason, created_by, created_at "
        "FROM site_closures WHERE organisation_id=? AND day >= ? AND day <= ? "
        "ORDER BY day, site_id");
    s.bind(1, org).bind(2, std::int64_t(from)).bind(3, std::int64_t(to));
    std::vector<SiteClosure> out;
    while (s.step())
        out.push_back({s.i64(0), s.i64(1), s.i64(2), core::LocalDay(s.i64(3)), s.text(4), s.text(5),
                       s.i64(6)});
    return out;
}

}  // namespace vg::store::sqlite
