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
// A non-negative decimal that fits an int (versions, ratings), else nullopt: checked before
// it is converted, never truncated into another value.
std::optional<int> parse_int(const std::string& s);

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

// The week a citizen looks at: the one asked for (any day of it) or else the default day's,
// kept between the first week worth showing and the last week of the motif's horizon. The
// first week is today's, or the week of `earliest` (the first free slot) when that is later:
// no "previous week" link leads to weeks where nothing can be booked any more.
struct Week {
    core::LocalDay monday = 0;
    core::LocalDay this_monday = 0;  // the first week worth showing
    core::LocalDay last_day = 0;     // today + horizon
};
Week choose_week(std::optional<core::LocalDay> asked, core::LocalDay default_day,
                 core::LocalDay today, int horizon_days,
                 std::optional<core::LocalDay> earliest = std::nullopt);
// The day of ?week=YYYY-MM-DD, if any and valid.
std::optional<core::LocalDay> asked_week(const http::Request& req);

// Week view for templates: days with their slots as links base_url + "slot=<start>".
// Adds "days", "has_slots", "week_label", "prev_url", "next_url".
void add_week(Page& page, const std::vector<app::SlotView>& slots, const Week& week,
              const std::string& base_url);

// Appointment summary values shared by review, confirmation and management pages.
mstch::map summary(Page& page, const app::OrgData& org, const store::Motif& m,
                   core::Channel channel, const store::Site* site, core::Instant start,
                   core::Instant end);

// The citizen's details as typed (kept across steps in hidden fields), and back into the
// fields of templates/citizen/_citizen_fields (booking flow, console's booking on behalf).
core::CitizenInput citizen_from(const http::Params& form);
void add_citizen_fields(Page& page, const core::CitizenInput& c);

}  // namespace vg::web
