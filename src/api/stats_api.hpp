// GET /api/v1/orgs/{org}/stats (issue 14): the statistics of docs/STATISTICS.md as JSON, for
// the holder of a read-only API key of that organisation (Authorization: Bearer <key>).
#pragma once

#include "app/context.hpp"
#include "http/router.hpp"

namespace vg::api {

void register_stats_routes(http::Router& r, app::Context& ctx);

}  // namespace vg::api
