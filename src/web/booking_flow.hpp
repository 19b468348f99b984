// Pieces shared by the booking pages and the management pages.
#pragma once

#include <mstch/mstch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/booking_service.hpp"
#include "web/page.hpp"

namespace vg::web {

// A non-negative decimal of at most 12 digits (ids, epoch seconds), else nullopt.
std::optional<std::int64_t> parse_number(const std::string& s);

// How the citizen meets the agency. "partner" = video from a partner site (Point numérique).
struct Mode {
    std::string code;  // video | partner | on_site | phone
    core::Channel channel;
    bool partner;
};
std::optional<Mode> parse_mode(const std::string& code);
// Modes a motif offers in this organisation, in display order.
std::vector<Mode> modes_for(const app::OrgData& org, const store::Motif& m);
// Sites the citizen chooses from for a mode (empty: no choice to make).
std::vector<const store::Site*> sites_for(const app::OrgData& org, const Mode& mode);

// Week view for templates: days with their slots as links built by link(slot).
// Adds "days", "has_slots", "week_label", "prev_url", "next_url".
void add_week(Page& page, const std::vector<app::SlotView>& slots, core::LocalDay monday,
              const date::time_zone* zone, const std::string& base_url,
              const std::string& slot_param_prefix, bool has_prev, bool has_next);

// Appointment summary values shared by review, confirmation and management pages.
mstch::map summary(Page& page, const app::OrgData& org, const store::Motif& m,
                   core::Channel channel, const store::Site* site, core::Instant start,
                   core::Instant end);

}  // namespace vg::web
