// SQLite queries of the statistics (issue 14): one statement per family (appointments,
// messages); src/stats computes every figure from their rows (docs/STATISTICS.md).
#include <nlohmann/json.hpp>

#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::stats_appointments(Id org, Instant from, Instant to,
                                       const std::function<void(const StatsAppointment&)>& each) {
    // Standard SQL (correlated subqueries, LEFT JOIN, LIMIT): PostgreSQL accepts it as is.
    auto s = c_.prepare(
        "SELECT a.id, a.motif_id, a.site_id, a.agent_id, a.channel, a.starts_at, a.ends_at, "
        "a.created_at, a.status, a.citizen_language, a.booked_by, a.cancel_reason, "
        "(SELECT e.detail FROM appointment_events e WHERE e.appointment_id = a.id "
        "  AND e.kind = 'cancelled' ORDER BY e.id DESC LIMIT 1), "
        "CASE WHEN a.status = 'confirmed' OR EXISTS (SELECT 1 FROM appointment_events e "
        "  WHERE e.appointment_id = a.id AND e.kind = 'presence_confirmed') THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM appointment_events e WHERE e.appointment_id = a.id "
        "  AND e.kind = 'moved_to_phone') THEN 1 ELSE 0 END, "
        "(SELECT COUNT(*) FROM appointment_events e WHERE e.appointment_id = a.id "
        "  AND e.kind = 'rescheduled'), "
        "o.resolved, o.request_type, o.theme, o.autonomy, v.rating, v.comment, "
        "a.citizen_first_name, a.citizen_last_name, a.citizen_email, a.citizen_phone, "
        // The room's journal (room_events_appointment index): one lookup per figure.
        "CASE WHEN EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'joined') THEN 1 ELSE 0 END, "
        "(SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.role = 'citizen' AND r.kind = 'joined'), "
        "(SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'admitted'), "
        "COALESCE((SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'ended'), (SELECT MAX(r.at) FROM room_events r "
        "  WHERE r.appointment_id = a.id AND r.kind = 'left')), "
        "(SELECT COUNT(*) FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'ice_restart'), "
        "(SELECT COUNT(*) FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'connection_failed'), "
        "CASE WHEN EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'audio_fallback') THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'moved_to_phone') THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'connected') THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.kind = 'connected' AND r.detail LIKE '%\"relay\"%') THEN 1 ELSE 0 END, "
        "(SELECT r.detail FROM room_events r WHERE r.appointment_id = a.id "
        "  AND r.role = 'citizen' AND r.kind = 'joined' ORDER BY r.id LIMIT 1) "
        "FROM appointments a "
        "LEFT JOIN appointment_outcomes o ON o.appointment_id = a.id "
        "LEFT JOIN satisfaction_surveys v ON v.appointment_id = a.id "
        "WHERE a.organisation_id = ? AND ((a.starts_at >= ? AND a.starts_at < ?) "
        "  OR (a.created_at >= ? AND a.created_at < ?)) "
        "ORDER BY a.starts_at, a.id");
    s.bind(1, org).bind(2, from).bind(3, to).bind(4, from).bind(5, to);
    StatsAppointment r;
    while (s.step()) {
        r.id = s.i64(0);
        r.motif_id = s.i64(1);
        r.site_id = s.i64(2);
        r.agent_id = s.i64(3);
        r.channel = core::parse_channel(s.text(4)).value_or(core::Channel::video);
        r.starts_at = s.i64(5);
        r.ends_at = s.i64(6);
        r.created_at = s.i64(7);
        r.status = parse_appointment_status(s.text(8)).value_or(AppointmentStatus::booked);
        r.language = s.text(9);
        r.origin = s.text(10);
        r.cancel_reason = s.text(11);
        r.cancelled_by.clear();
        if (!s.is_null(12)) {
            auto j = nlohmann::json::parse(s.text(12), nullptr, false);
            if (j.is_object() && j.contains("by") && j["by"].is_string())
                r.cancelled_by = j["by"].get<std::string>();
        }
        if (r.status == AppointmentStatus::cancelled && r.cancelled_by.empty())
            r.cancelled_by = "agency";  // no history (imported data): not the citizen's doing
        r.confirmed = s.i64(13) != 0;
        r.moved_to_phone = s.i64(14) != 0;
        r.reschedules = int(s.i64(15));
        r.resolved = s.text(16);
        r.request_type = s.text(17);
        r.theme = s.text(18);
        r.autonomy = s.text(19);
        r.rating = s.is_null(20) ? std::nullopt : std::optional<int>(int(s.i64(20)));
        r.comment = s.text(21);
        r.first_name = s.text(22);
        r.last_name = s.text(23);
        r.email = s.text(24);
        r.phone = s.text(25);
        r.room_joined = s.i64(26) != 0;
        r.citizen_joined_at = s.opt_i64(27);
        r.admitted_at = s.opt_i64(28);
        r.call_ended_at = s.opt_i64(29);
        r.ice_restarts = int(s.i64(30));
        r.connection_failures = int(s.i64(31));
        r.audio_fallback = s.i64(32) != 0;
        r.room_to_phone = s.i64(33) != 0;
        r.connected = s.i64(34) != 0;
        r.relayed = s.i64(35) != 0;
        r.browser.clear();
        if (!s.is_null(36)) {
            auto j = nlohmann::json::parse(s.text(36), nullptr, false);
            if (j.is_object() && j.contains("browser") && j["browser"].is_string())
                r.browser = j["browser"].get<std::string>();
        }
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
