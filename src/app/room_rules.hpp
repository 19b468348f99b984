// The video room's rules about time (issue 13, "rules from the seeds"; docs/VIDEO.md): the
// automatic no-show of a citizen who never joined the room, and the late agent. The
// decisions are pure functions of the appointment, the organisation and "now"; the periodic
// job that applies them is a PeriodicJob started by `serve`.
#pragma once

#include <chrono>
#include <functional>

#include "store/model.hpp"

namespace vg::app {

using core::Id;
using core::Instant;

// When the organisation's no-show delay (no_show_delay_minutes, default 10) has passed
// since the start: the moment a video appointment whose citizen never joined is marked
// no_show, and a citizen still waiting is told the advisor is late.
Instant late_after(const store::Appointment& a, const store::Organisation& org);

// The automatic no-show applies to a live (booked, confirmed) video appointment whose delay
// has passed, whose room is not closed yet (room_times: the end + room_margin_minutes; after
// that the agent decides, and a server stopped meanwhile does not message old
// appointments), whose citizen never joined its room and is not in it now. Not on site nor
// by phone: there the agent sees the citizen (or calls them) and records the outcome.
bool automatic_no_show_due(const store::Appointment& a, const store::Organisation& org,
                           bool citizen_joined, Instant now);

// The citizen waiting in the lobby of a live video appointment is told the advisor is late
// once the delay has passed (an agent who is in the room but has not admitted them is late
// too: the citizen still waits).
bool agent_late(const store::Appointment& a, Instant late_at, bool admitted, Instant now);

// The automatic no-show's query looks at appointments started at most this long ago (no
// appointment's room stays open longer); automatic_no_show_due decides.
inline constexpr Instant kNoShowLookBack = 24 * 3600;

// Who the history and the audit name for the automatic no-show and the late-agent alert
// (the console shows it as "système").
inline constexpr const char* kNoShowActor = "system";

}  // namespace vg::app
