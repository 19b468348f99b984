// SQLite queries of the statistics (issue 14): one statement per family (appointments,
// messages); src/stats computes every figure from their rows (docs/STATISTICS.md).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

namespace {

// The columns of stats_appointments (migration 28) as StatsAppointment reads them; with the
// citizen's contact data (joined from appointments) when the statement has them.
#define VG_STATS_COLUMNS                                                                       \
    "s.appointment_id, s.motif_id, s.site_id, s.agent_id, s.channel, s.starts_at, s.ends_at, " \
    "s.created_at, s.status, s.language, s.origin, s.cancel_reason, s.cancelled_by, "          \
    "s.confirmed, s.moved_to_phone, s.reschedules, s.resolved, s.request_type, s.theme, "      \
    "s.autonomy, s.rating, s.comment, s.room_joined, s.citizen_joined_at, s.admitted_at, "     \
    "COALESCE(s.first_ended_at, s.last_left_at), s.ice_restarts, s.connection_failures, "      \
    "s.audio_fallback, s.room_to_phone, s.connected, s.relayed, s.browser"
#define VG_STATS_CONTACTS \
    ", a.citizen_first_name, a.citizen_last_name, a.citizen_email, a.citizen_phone"
#define VG_STATS_JOIN_CONTACTS " JOIN appointments a ON a.id = s.appointment_id"
// Starts in [from, to), or starts later and was booked in [from, to): one range of the
// table's key from `from` on.
#define VG_STATS_FROM_START                                                      \
    " WHERE s.organisation_id = ?1 AND s.starts_at >= ?2 AND (s.starts_at < ?3 " \
    "OR (s.created_at >= ?2 AND s.created_at < ?3)) ORDER BY s.starts_at, s.appointment_id"
// Booked in [from, to) after its start (recorded late): the partial index
// stats_appointments_late. Those that start before `from` are kept by the reader (a condition
// on starts_at here would make SQLite scan the key from the organisation's first row).
#define VG_STATS_LATE                                                                      \
    " WHERE s.organisation_id = ?1 AND s.created_at > s.starts_at AND s.created_at >= ?2 " \
    "AND s.created_at < ?3 ORDER BY s.starts_at, s.appointment_id"

void read_row(const Stmt& s, StatsAppointment& r, bool with_contacts) {
    r.id = s.i64(0);
    r.motif_id = s.i64(1);
    r.site_id = s.i64(2);
    r.agent_id = s.i64(3);
    r.channel = core::parse_channel(s.view(4)).value_or(core::Channel::video);
    r.starts_at = s.i64(5);
    r.ends_at = s.i64(6);
    r.created_at = s.i64(7);
    r.status = parse_appointment_status(s.view(8)).value_or(AppointmentStatus::booked);
    r.language.assign(s.view(9));
    r.origin.assign(s.view(10));
    r.cancel_reason.assign(s.view(11));
    r.cancelled_by.assign(s.view(12));
    if (r.status == AppointmentStatus::cancelled && r.cancelled_by.empty())
        r.cancelled_by = "agency";  // no history (imported data): not the citizen's doing
    r.confirmed = s.i64(13) != 0 || r.status == AppointmentStatus::confirmed;
    r.moved_to_phone = s.i64(14) != 0;
    r.reschedules = int(s.i64(15));
    r.resolved.assign(s.view(16));
    r.request_type.assign(s.view(17));
    r.theme.assign(s.view(18));
    r.autonomy.assign(s.view(19));
    r.rating = s.is_null(20) ? std::nullopt : std::optional<int>(int(s.i64(20)));
    r.comment.assign(s.view(21));
    r.room_joined = s.i64(22) != 0;
    r.citizen_joined_at = s.opt_i64(23);
    r.admitted_at = s.opt_i64(24);
    r.call_ended_at = s.opt_i64(25);
    r.ice_restarts = int(s.i64(26));
    r.connection_failures = int(s.i64(27));
    r.audio_fallback = s.i64(28) != 0;
    r.room_to_phone = s.i64(29) != 0;
    r.connected = s.i64(30) != 0;
    r.relayed = s.i64(31) != 0;
    r.browser.assign(s.view(32));
    if (with_contacts) {
        r.first_name.assign(s.view(33));
        r.last_name.assign(s.view(34));
        r.email.assign(s.view(35));
        r.phone.assign(s.view(36));
    }
}

}  // namespace

void SqliteSession::stats_appointments(Id org, Instant from, Instant to, bool with_contacts,
                                       const std::function<void(const StatsAppointment&)>& each) {
    // The late ones first: they start before every other.
    auto late =
        with_contacts
            ? c_.prepare("SELECT " VG_STATS_COLUMNS VG_STATS_CONTACTS
                         " FROM stats_appointments s" VG_STATS_JOIN_CONTACTS VG_STATS_LATE)
            : c_.prepare("SELECT " VG_STATS_COLUMNS " FROM stats_appointments s" VG_STATS_LATE);
    auto rest =
        with_contacts
            ? c_.prepare("SELECT " VG_STATS_COLUMNS VG_STATS_CONTACTS
                         " FROM stats_appointments s" VG_STATS_JOIN_CONTACTS VG_STATS_FROM_START)
            : c_.prepare("SELECT " VG_STATS_COLUMNS
                         " FROM stats_appointments s" VG_STATS_FROM_START);
    StatsAppointment r;
    late.bind(1, org).bind(2, from).bind(3, to);
    while (late.step())
        if (late.i64(5) < from) {  // the others come in the range below
            read_row(late, r, with_contacts);
            each(r);
        }
    rest.bind(1, org).bind(2, from).bind(3, to);
    while (rest.step()) {
        read_row(rest, r, with_contacts);
        each(r);
    }
}

std::vector<StatsMessage> SqliteSession::stats_messages(Id org, Instant from, Instant to) {
    auto s = c_.prepare(
        "SELECT created_at, channel, status, CASE WHEN last_error <> '' THEN 1 ELSE 0 END, "
        "sms_segments FROM outbox WHERE organisation_id = ? AND created_at >= ? AND created_at < ? "
        "ORDER BY created_at, id");
    s.bind(1, org).bind(2, from).bind(3, to);
    std::vector<StatsMessage> out;
    while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2), s.i64(3) != 0, s.i32(4)});
    return out;
}

}  // namespace vg::store::sqlite

namespace vg::store::sqlite {

namespace {

ApiKey read_api_key(const Stmt& s) {
    return {s.i64(0), s.i64(1), s.text(2), s.text(3), s.text(4), s.i64(5), s.opt_i64(6)};
}

}  // namespace

Id SqliteSession::insert_api_key(const ApiKey& k) {
    auto s = c_.prepare(
        "INSERT INTO api_keys (organisation_id, name, key_hash, scope, created_at) "
        "VALUES (?,?,?,?,?)");
    s.bind(1, k.organisation_id)
        .bind(2, k.name)
        .bind(3, k.key_hash)
        .bind(4, k.scope)
        .bind(5, now());
    s.run();
    return c_.last_insert_id();
}

std::optional<ApiKey> SqliteSession::api_key_by_hash(const std::string& key_hash) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, name, key_hash, scope, created_at, revoked_at "
        "FROM api_keys WHERE key_hash = ?");
    s.bind(1, key_hash);
    if (!s.step()) return std::nullopt;
    return read_api_key(s);
}

std::vector<ApiKey> SqliteSession::api_keys(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, name, key_hash, scope, created_at, revoked_at "
        "FROM api_keys WHERE organisation_id = ? ORDER BY created_at, id");
    s.bind(1, org);
    std::vector<ApiKey> out;
    while (s.step()) out.push_back(read_api_key(s));
    return out;
}

bool SqliteSession::revoke_api_key(Id org, Id id) {
    auto s = c_.prepare(
        "UPDATE api_keys SET revoked_at = ? WHERE organisation_id = ? AND id = ? "
        "AND revoked_at IS NULL");
    s.bind(1, now()).bind(2, org).bind(3, id);
    s.run();
    return c_.changes() > 0;
}

}  // namespace vg::store::sqlite
