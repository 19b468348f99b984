// The video room's pages (issue 13; docs/VIDEO.md, docs/VIDEO_BROWSER.md): the citizen's room
// /room/{token}, the guest's /room/invite/{token}, and the agent's room
// /console/appointments/{id}/room with its identity check and third-participant links. The
// call itself runs in the browser (static/room.js) over the hub at /ws/room.
#pragma once

#include <memory>

#include "app/context.hpp"
#include "http/router.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

// /room/{token} and /room/invite/{token}: before /{org}/... (register_routes).
void register_room_routes(http::Router& router, app::Context& ctx);
// The agent's room: a console part (console_parts.cpp).
void register_room_console_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
