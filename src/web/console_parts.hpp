// The console's parts: each file of the console registers its own routes through the one
// StaffGate (session, organisation, role checks). register_staff_routes calls them in this
// order, before the console's catch-all.
#pragma once

#include <memory>
#include <vector>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

using ConsolePart = void (*)(http::Router&, const std::shared_ptr<StaffGate>&);
const std::vector<ConsolePart>& console_parts();

}  // namespace vg::web
