// The organisation's overview of its partners (issue 15, docs/PARTNERS.md "The CAF's
// overview"): /console/partners (every partner), /console/partners/{id} (its reports over
// time) and their CSV/XLSX exports. Administrators and supervisors read; nothing is written.
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_partner_caf_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
