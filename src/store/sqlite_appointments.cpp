// SQLite queries: Appointments, their events and satisfaction surveys.
#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::optional<Appointment> SqliteSession::appointment_by_token_hash(const std::string& hash) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS " FROM appointments WHERE token_hash=?");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return read_appointment(s);
}

std::optional<Appointment> SqliteSession::appointment_by_id(Id org, Id id) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    return read_appointment(s);
}

Id SqliteSession::insert_appointment(const Appointment& a) {
    auto s = c_.prepare(
        "INSERT INTO appointments (organisation_id, motif_id, site_id, agent_id, channel, "
        "starts_at, ends_at, status, citizen_first_name, citizen_last_name, citizen_email, "
        "citizen_phone, citizen_language, beneficiary_number, needs, terms_version, "
        "booked_by, booked_by_agent_id, booked_by_partner_site_id, token_hash, "
        "token_expires_at, cancel_reason, sequence, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_appointment(s, a);
    s.run();
    return c_.last_insert_id();
}

void SqliteSession::update_appointment(const Appointment& a) {
    auto s = c_.prepare(
        "UPDATE appointments SET organisation_id=?, motif_id=?, site_id=?, agent_id=?, "
        "channel=?, starts_at=?, ends_at=?, status=?, citizen_first_name=?, "
        "citizen_last_name=?, citizen_email=?, citizen_phone=?, citizen_language=?, "
        "beneficiary_number=?, needs=?, terms_version=?, booked_by=?, booked_by_agent_id=?, "
        "booked_by_partner_site_id=?, token_hash=?, token_expires_at=?, cancel_reason=?, "
        "sequence=?, created_at=?, updated_at=? WHERE id=?");
    bind_appointment(s, a);
    s.bind(26, a.id);
    s.run();
}

void SqliteSession::add_event(Id appointment, const std::string& kind, const std::string& actor,
                              const std::string& detail) {
    auto s = c_.prepare(
        "INSERT INTO appointment_events (appointment_id, at, kind, actor, detail) "
        "VALUES (?,?,?,?,?)");
    s.bind(1, appointment).bind(2, now()).bind(3, kind).bind(4, actor).bind(5, detail);
    s.run();
}

bool SqliteSession::insert_survey(Id org, Id appointment, int rating, const std::string& comment) {
    auto s = c_.prepare(
        "INSERT INTO satisfaction_surveys (appointment_id, organisation_id, rating, comment, "
        "created_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING");
    s.bind(1, appointment).bind(2, org).bind(3, rating).bind(4, comment).bind(5, now());
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
