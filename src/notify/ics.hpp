// iCalendar (.ics) for an appointment, built with libical.
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"

namespace vg::notify {

struct CalendarEvent {
    std::string uid;         // stable across reschedules: "appointment-<id>.<installation>@<host>"
    int sequence = 0;        // bumped at each change
    bool cancelled = false;  // METHOD:CANCEL, STATUS:CANCELLED
    core::Instant start = 0;
    core::Instant end = 0;
    std::string time_zone;  // IANA name, DTSTART;TZID=...
    std::string summary;
    std::string location;
    std::string description;
    std::string url;
    std::string organizer_email;
};

std::string make_ics(const CalendarEvent& e);
// A calendar of several events (a subscription feed: METHOD:PUBLISH, one VTIMEZONE per zone
// used), named `name` (X-WR-CALNAME) when not empty. Events are built as make_ics builds one.
std::string make_ics_calendar(const std::vector<CalendarEvent>& events, const std::string& name);

}  // namespace vg::notify
