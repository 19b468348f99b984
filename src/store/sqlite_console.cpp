// SQLite queries of the appointment page (issue 12): history, private notes, the outcome of
// an appointment and the organisation's outcome qualification (migration 12).
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::vector<AppointmentEvent> SqliteSession::appointment_events(Id appointment) {
    auto s = c_.prepare(
        "SELECT id, at, kind, actor, detail FROM appointment_events WHERE appointment_id = ? "
        "ORDER BY at, id");
    s.bind(1, appointment);
    std::vector<AppointmentEvent> out;
    while (s.step()) out.push_back({s.i64(0), s.i64(1), s.text(2), s.text(3), s.text(4)});
    return out;
}

Id SqliteSession::add_note(const AppointmentNote& n) {
    auto s = c_.prepare(
        "INSERT INTO appointment_notes (appointment_id, organisation_id, at, author, author_name, "
        "body) VALUES (?,?,?,?,?,?)");
    s.bind(1, n.appointment_id)
        .bind(2, n.organisation_id)
        .bind(3, now())
        .bind(4, n.author)
        .bind(5, n.author_name)
        .bind(6, n.body);
    s.run();
    return c_.last_insert_id();
}

std::vector<AppointmentNote> SqliteSession::notes(Id org, Id appointment) {
    auto s = c_.prepare(
        "SELECT id, appointment_id, organisation_id, at, author, author_name, body "
        "FROM appointment_notes WHERE organisation_id = ? AND appointment_id = ? ORDER BY at, id");
    s.bind(1, org).bind(2, appointment);
    std::vector<AppointmentNote> out;
    while (s.step())
        out.push_back({s.i64(0), s.i64(1), s.i64(2), s.i64(3), s.text(4), s.text(5), s.text(6)});
    return out;
}

std::vector<OutcomeItem> SqliteSession::outcome_items(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, item_group, category, code, label, position, retired_at "
        "FROM outcome_items WHERE organisation_id = ? ORDER BY item_group, position, id");
    s.bind(1, org);
    std::vector<OutcomeItem> out;
    while (s.step()) {
        OutcomeItem i;
        i.id = s.i64(0);
        i.organisation_id = s.i64(1);
        i.group = s.text(2);
        i.category = s.text(3);
        i.code = s.text(4);
        i.label = LocalText::from_json(s.text(5));
        i.position = int(s.i64(6));
        i.retired_at = s.opt_i64(7);
        out.push_back(std::move(i));
    }
    return out;
}

bool SqliteSession::insert_outcome_item(const OutcomeItem& i) {
    auto s = c_.prepare(
        "INSERT INTO outcome_items (organisation_id, item_group, category, code, label, position, "
        "retired_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (organisation_id, code) DO NOTHING");
    s.bind(1, i.organisation_id)
        .bind(2, i.group)
        .bind(3, i.category)
        .bind(4, i.code)
        .bind(5, i.label.to_json())
        .bind(6, i.position)
        .bind(7, i.retired_at);
    s.run();
    return c_.changes() > 0;
}

void SqliteSession::update_outcome_item(const OutcomeItem& i) {
    auto s = c_.prepare(
        "UPDATE outcome_items SET label = ?, position = ?, retired_at = ? "
        "WHERE id = ? AND organisation_id = ?");
    s.bind(1, i.label.to_json())
        .bind(2, i.position)
        .bind(3, i.retired_at)
        .bind(4, i.id)
        .bind(5, i.organisation_id);
    s.run();
}

void SqliteSession::set_outcome(const AppointmentOutcome& o) {
    auto s = c_.prepare(
        "INSERT INTO appointment_outcomes (appointment_id, organisation_id, resolved, "
        "request_type, theme, autonomy, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?) "
        "ON CONFLICT (appointment_id) DO UPDATE SET resolved = excluded.resolved, "
        "request_type = excluded.request_type, theme = excluded.theme, "
        "autonomy = excluded.autonomy, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at");
    s.bind(1, o.appointment_id)
        .bind(2, o.organisation_id)
        .bind(3, o.resolved)
        .bind(4, o.request_type)
        .bind(5, o.theme)
        .bind(6, o.autonomy)
        .bind(7, o.recorded_by)
        .bind(8, now());
    s.run();
}

std::optional<AppointmentOutcome> SqliteSession::outcome(Id org, Id appointment) {
    auto s = c_.prepare(
        "SELECT appointment_id, organisation_id, resolved, request_type, theme, autonomy, "
        "recorded_by, recorded_at FROM appointment_outcomes "
        "WHERE organisation_id = ? AND appointment_id = ?");
    s.bind(1, org).bind(2, appointment);
    if (!s.step()) return std::nullopt;
    return AppointmentOutcome{s.i64(0),  s.i64(1),  s.text(2), s.text(3),
                              s.text(4), s.text(5), s.text(6), s.i64(7)};
}

}  // namespace vg::store::sqlite
