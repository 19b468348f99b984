// The public JSON API (/api/v1/...): what the citizen pages' scripts, partner sites and
// third-party front ends use. Documented in docs/API.md; names there are a contract.
#pragma once

#include "app/context.hpp"
#include "http/router.hpp"

namespace vg::api {

// Adds every /api/v1 route to r. Handlers keep a reference to ctx: it must outlive r.
void register_routes(http::Router& r, app::Context& ctx);

}  // namespace vg::api
