// The statistics page of the console (issue 14): /console/stats (filters, headline figures
// with their change from the previous period, server-rendered SVG charts each with its data
// table) and /console/stats/export.csv. Figures come from src/stats (docs/STATISTICS.md).
#pragma once

#include <memory>

#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_stats_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
