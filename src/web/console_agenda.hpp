// The agent's agenda in the console (docs/CONSOLE.md): the day on /console/, day and week
// views, the printable day list, the private calendar feed, the console language, and the
// teams' administration.
#pragma once

#include <memory>

#include "app/staff_scope.hpp"
#include "http/router.hpp"
#include "web/page.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_agenda_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

// The person's day for the console's entrance (/console/): today's appointments, the next
// one with its countdown (fills page.data(): "today" and friends for console/agenda_today).
void add_console_today(Page& page, app::Context& ctx, const Staff& staff);

// The rule of app/staff_scope for the signed-in person.
app::ScopeSubject scope_of(const Staff& staff);

}  // namespace vg::web
