// SQLite queries of partner-booking (issue 15, migration 22): the appointments a partner
// books on a citizen's behalf. Every query takes the organisation (docs/PARTNERS.md).
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::set_booked_by_account(Id org, Id appointment_id, Id account_id) {
    auto s = c_.prepare(
        "UPDATE appointments SET booked_by_account_id=? WHERE organisation_id=? AND id=?");
    s.bind(1, account_id).bind(2, org).bind(3, appointment_id);
    s.run();
}

std::vector<Appointment> SqliteSession::partner_appointments(Id org, Id partner_id, Instant now) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE organisation_id=? AND booked_by='partner' AND "
                        "booked_by_partner_site_id IN (SELECT id FROM partner_sites WHERE "
                        "organisation_id=? AND partner_id=?) "
                        "ORDER BY CASE WHEN ends_at >= ? THEN 0 ELSE 1 END, "
                        "CASE WHEN ends_at >= ? THEN starts_at ELSE -starts_at END, id");
    s.bind(1, org).bind(2, org).bind(3, partner_id).bind(4, now).bind(5, now);
    std::vector<Appointment> out;
    while (s.step()) out.push_back(read_appointment(s));
    return out;
}

bool SqliteSession::delete_room_token_hash(Id org, Id appointment_id, const std::string& hash) {
    auto s = c_.prepare(
        "DELETE FROM room_tokens WHERE token_hash=? AND appointment_id=(SELECT id FROM "
        "appointments WHERE organisation_id=? AND id=?)");
    s.bind(1, hash).bind(2, org).bind(3, appointment_id);
    s.run();
    return c_.changes() > 0;
}

}  // namespace vg::store::sqlite
