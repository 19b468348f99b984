// The partner's bookings on a citizen's behalf (issue 15, docs/PARTNERS.md):
// /partner/bookings (the list, cancel), /partner/bookings/new (motif, place, week, details).
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_partner_booking_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
