// The console's appointment page, its actions and the outcome form, booking on behalf of a
// citizen, and the administration of the outcome qualification (issue 12).
#pragma once

#include <memory>

#include "http/router.hpp"
#include "store/model.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

// The one access rule of an appointment in the console: of the person's organisation, and
// its agent is one the person may see (app::visible_agents: their own agent, the agents of
// the teams they supervise, every agent for an administrator). Every page and action of an
// appointment goes through it; a refusal is the 404 of an unknown id.
bool may_see(store::Store& db, const Staff& staff, const store::Appointment& a);

void register_appointment_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

}  // namespace vg::web
