// What the supervision page shows of today (issue 12): no-shows, late starts, the rest.
#pragma once

#include <set>
#include <vector>

#include "app/administration.hpp"
#include "app/booking_service.hpp"

namespace vg::app {

// The delay after its start when an appointment not recorded as held counts as a no-show:
// the organisation's setting (default 10 minutes, seed 003; administration.hpp).
inline Instant no_show_delay(const OrgData& org) {
    return no_show_delay(org.org);
}

struct TodayView {
    std::vector<store::Appointment> no_shows;  // live, started more than `delay` ago
    std::vector<store::Appointment> late;      // live, started less than `delay` ago
    std::vector<store::Appointment> coming;    // live, not started
    std::vector<store::Appointment> arrived;   // live, the citizen recorded as arrived
};

// Sorts the day's appointments at `now`: held, missed and cancelled ones are left out; those
// whose citizen was recorded as arrived (the appointment page's "present") are neither late
// nor no-shows.
TodayView classify_today(const std::vector<store::Appointment>& day, Instant now, Instant delay,
                         const std::set<Id>& arrived = {});

// Recurring absences (a weekly rule in the agent's sites' local time). One that would hit
// live appointments is refused (conflict, `hit` lists them): the agent deals with them
// first (a one-off absence offers the choices). `scope`: an agent's own only.
struct RecurringResult {
    ConfigResult result;
    std::vector<store::Appointment> hit;
};
RecurringResult add_recurring_absence(BookingService& booking, const OrgData& org,
                                      const core::RecurringAbsence& a, const std::string& reason,
                                      const std::string& actor);
ConfigResult delete_recurring_absence(BookingService& booking, const OrgData& org, Id id,
                                      std::optional<Id> scope, const std::string& actor);

}  // namespace vg::app
