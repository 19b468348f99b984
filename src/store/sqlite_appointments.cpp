// SQLite queries: Appointments, their events and satisfaction surveys.
#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::optional<Appointment> SqliteSession::appointment_by_token_hash(const std::string& hash) {
    auto s =
        c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                   " FROM appointments WHERE token_hash=? UNION ALL SELECT " VG_APPOINTMENT_COLUMNS
                   " FROM appointments WHERE id=(SELECT appointment_id FROM "
                   "appointment_tokens WHERE token_hash=?)");
    s.bind(1, hash).bind(2, hash);
    if (!s.step()) return std::nullopt;
    return read_appointment(s);
}

void SqliteSession::add_token_hash(Id appointment, const std::string& hash, int keep) {
    auto s = c_.prepare(
        "INSERT INTO appointment_tokens (appointment_id, token_hash, created_at) VALUES (?,?,?)");
    s.bind(1, appointment).bind(2, hash).bind(3, now());
    s.run();
    auto old = c_.prepare(
        "DELETE FROM appointment_tokens WHERE appointment_id=? AND id NOT IN (SELECT id FROM "
        "appointment_tokens WHERE appointment_id=? ORDER BY id DESC LIMIT ?)");
    old.bind(1, appointment).bind(2, appointment).bind(3, std::int64_t(keep));
    old.run();
}

namespace {

std::vector<Appointment> read_appointments(Stmt& s) {
    std::vector<Appointment> out;
    while (s.step()) out.push_back(read_appointment(s));
    return out;
}

}  // namespace

namespace {
// Live appointments of the organisation not over at `after` whose contact matches
// `condition` (on one bound value), soonest first. A macro, not a string built at run time:
// the connection caches statements by the address of their literal text.
#define VG_LIVE_BY(condition)                                                                    \
    "SELECT " VG_APPOINTMENT_COLUMNS " FROM appointments WHERE organisation_id=? AND " condition \
    " AND status IN ('booked','confirmed') AND ends_at>? ORDER BY starts_at, id LIMIT ?"

std::vector<Appointment> live_by(Connection& c, const char* sql, Id org, const std::string& value,
                                 Instant after, int limit) {
    auto s = c.prepare(sql);
    s.bind(1, org).bind(2, value).bind(3, after).bind(4, std::int64_t(limit));
    return read_appointments(s);
}
}  // namespace

std::vector<Appointment> SqliteSession::live_by_email(Id org, const std::string& email,
                                                      Instant after, int limit) {
    return live_by(c_, VG_LIVE_BY("lower(citizen_email)=lower(?)"), org, email, after, limit);
}

std::vector<Appointment> SqliteSession::live_by_phone(Id org, const std::string& phone,
                                                      Instant after, int limit) {
    return live_by(c_, VG_LIVE_BY("citizen_phone=?"), org, phone, after, limit);
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

std::optional<BookingKey> SqliteSession::booking_key(Id org, const std::string& key_hash) {
    auto s = c_.prepare(
        "SELECT request_hash, appointment_id, sealed_token, created_at FROM booking_keys "
        "WHERE organisation_id=? AND key_hash=?");
    s.bind(1, org).bind(2, key_hash);
    if (!s.step()) return std::nullopt;
    return BookingKey{org, key_hash, s.text(0), s.i64(1), s.text(2), s.i64(3)};
}

void SqliteSession::insert_booking_key(const BookingKey& k) {
    auto s = c_.prepare(
        "INSERT INTO booking_keys (organisation_id, key_hash, request_hash, appointment_id, "
        "sealed_token, created_at) VALUES (?,?,?,?,?,?)");
    s.bind(1, k.organisation_id)
        .bind(2, k.key_hash)
        .bind(3, k.request_hash)
        .bind(4, k.appointment_id)
        .bind(5, k.sealed_token)
        .bind(6, k.created_at ? k.created_at : clock_.now());
    s.step();
}

}  // namespace vg::store::sqlite
