// The partner's own screens under /partner/ (issue 15, docs/PARTNERS.md "The partner's
// screens"): home, label certificate, visits (Annexe 2) and the period's report; and the
// organisation's read-only view of a submitted report under /console/admin/partners. Partner
// staff only (StaffGate::with_partner); every read takes the organisation and the partner.
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_partner_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
