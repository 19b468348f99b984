// Supervisors' console pages (issue 12): today's no-shows and late starts, reassigning an
// appointment to another free agent, closing a site for a day (preview, then one action).
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_supervision_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
