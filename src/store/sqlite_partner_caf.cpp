// SQLite queries of partner-caf (issue 15): what the organisation's overview of its partners
// reads beyond partner-admin's and partner-screens' methods (docs/PARTNERS.md, "The CAF's
// overview").
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

int SqliteSession::partner_bookings_on_behalf(Id org, Id partner_id) {
    auto s = c_.prepare(
        "SELECT COUNT(*) FROM appointments a JOIN partner_sites ps "
        "ON ps.id = a.booked_by_partner_site_id "
        "WHERE ps.organisation_id=? AND ps.partner_id=? AND a.booked_by='partner'");
    s.bind(1, org).bind(2, partner_id);
    s.step();
    return int(s.i64(0));
}

}  // namespace vg::store::sqlite
