// Availability engine: free slots = opening plans − absences − holidays − live appointments
// − lead time/horizon, expanded in each site's local time. Pure computation, no I/O: the
// caller loads the data and passes resolved time zones.
#pragma once

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace vg::core {

struct SiteCalendar {
    Id site_id = 0;
    const date::time_zone* zone = nullptr;  // IANA zone of the site (never null)
    std::set<LocalDay> holidays;            // local days on which the site is closed
};

// Everything the engine needs, already filtered or not: the engine filters again by motif,
// channel and site, so passing more data is correct, only slower.
struct AvailabilityInput {
    Motif motif;
    Channel channel = Channel::video;
    std::optional<Id> site;   // restrict to one site
    std::optional<Id> agent;  // restrict to one agent (booking re-check)
    LocalDay from = 0;        // inclusive local day, in each site's zone
    LocalDay to = 0;          // inclusive local day
    Instant now = 0;
    std::vector<SiteCalendar> sites;
    std::vector<OpeningPlan> plans;
    std::vector<Absence> absences;
    std::vector<RecurringAbsence> recurring_absences;
    // Live appointments (booked/confirmed) of the agents concerned, any motif.
    struct Busy {
        Id agent_id = 0;
        Interval span;
    };
    std::vector<Busy> busy;
};

struct Slot {
    Instant start = 0;
    Instant end = 0;
    Id site_id = 0;
    std::vector<Id> agents;  // free agents for this exact slot, ascending ids
};

// Free slots sorted by (start, site_id). One entry per (start, site) with all free agents.
std::vector<Slot> compute_slots(const AvailabilityInput& in);

// Seconds each agent's opening plans offer on the local days from..to (each site's zone),
// less the site's closed days (`holidays`) and the agent's one-off and recurring absences;
// time two plans of one agent both cover counts once. Motif, channel, lead time, horizon
// and appointments play no part (the caller keeps the plans it wants): the statistics' free
// time offered (docs/STATISTICS.md). Agents without a plan in the range are absent.
std::map<Id, Instant> offered_seconds(const AvailabilityInput& in);

// The calendar of a site for local days from..to: its zone and the public holidays of its
// region (`region`: the site's, else the organisation's; unknown: none).
SiteCalendar site_calendar(Id site_id, const date::time_zone* zone, std::string_view region,
                           LocalDay from, LocalDay to);

}  // namespace vg::core
