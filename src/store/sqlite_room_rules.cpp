// SQLite queries of the room rules (issue 13): the automatic no-show's candidates.
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::vector<Appointment> SqliteSession::video_appointments_without_citizen(Id org, Instant from,
                                                                           Instant until) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments a WHERE organisation_id=? AND starts_at>=? AND "
                        "starts_at<=? AND status IN ('booked','confirmed') AND channel='video' "
                        "AND NOT EXISTS (SELECT 1 FROM room_events e WHERE e.appointment_id=a.id "
                        "AND e.role='citizen' AND e.kind IN ('joined','rejoined')) "
                        "ORDER BY starts_at, id");
    s.bind(1, org).bind(2, from).bind(3, until);
    std::vector<Appointment> out;
    while (s.step()) out.push_back(read_appointment(s));
    return out;
}

}  // namespace vg::store::sqlite
