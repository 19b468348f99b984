// The public figures page (issue 14, seed 004's "chiffres du mois"; docs/STATISTICS.md):
// /console/admin/figures, where administrators choose the published figures and type each
// week's processing delays, and /{org}/chiffres (with /{org}/figures, /cijfers, /zahlen
// sending to it in English, Dutch, German), public and without script.
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_public_figures_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
