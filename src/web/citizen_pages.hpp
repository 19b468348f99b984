#pragma once

#include "app/context.hpp"
#include "http/router.hpp"

namespace vg::web {
void register_citizen_routes(http::Router& router, app::Context& ctx);
void register_manage_routes(http::Router& router, app::Context& ctx);
void register_resend_routes(http::Router& router, app::Context& ctx);
void register_asset_routes(http::Router& router, app::Context& ctx);
void register_staff_routes(http::Router& router, app::Context& ctx);
}  // namespace vg::web
