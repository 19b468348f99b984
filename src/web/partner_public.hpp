// The public list of an organisation's labelled partner sites (issue 15, seed 001 art. 3:
// tell the public the service exists; docs/PARTNERS.md "The public list"):
// /{org}/points-numeriques, with /{org}/digital-points, /digitale-punten and
// /digitale-anlaufstellen sending to it in English, Dutch and German. No JavaScript.
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_partner_public_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
