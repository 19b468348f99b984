// The organisation's side of partners under /console/admin/partners (issue 15,
// docs/PARTNERS.md): administrators write, supervisors read. Every write goes through
// app::PartnerAdmin (validation, one transaction with its journal entry).
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_partners_admin_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
