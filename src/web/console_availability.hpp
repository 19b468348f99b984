// The agent's own availability in the console (issue 12): /console/availability lists,
// adds, edits and deletes opening plans and absences; an absence that hits booked
// appointments asks what to do with each of them first.
#pragma once

#include <memory>
#include <mstch/mstch.hpp>
#include <string>

#include "app/booking_service.hpp"
#include "http/router.hpp"
#include "web/page.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

void register_availability_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate);

// Shared with the supervision pages: field errors of a console form in the page's language
// (labels from `part`.field.<name>), "HH:MM" <-> minutes, an appointment as a list row.
void add_console_errors(Page& page, const core::FieldErrors& errors, const std::string& part);
std::optional<int> parse_hhmm(const std::string& s);
std::string format_hhmm(int minutes);
mstch::map appointment_row(Page& page, const app::OrgData& org, const store::Appointment& a,
                           const std::vector<store::Agent>& agents);

}  // namespace vg::web
