// Domain vocabulary shared by every layer. Pure data: no I/O, no HTTP, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vg::core {

using Id = std::int64_t;
// An instant: UTC seconds since the Unix epoch (invariant 1 of ARCHITECTURE.md).
using Instant = std::int64_t;
// A civil (local) date: days since 1970-01-01, as date::local_days::time_since_epoch().
using LocalDay = std::int32_t;

enum class Channel : std::uint8_t { video = 0, on_site = 1, phone = 2 };
inline constexpr std::uint8_t channel_bit(Channel c) {
    return std::uint8_t(1u << unsigned(c));
}
inline constexpr std::uint8_t all_channels = 0b111;
std::optional<Channel> parse_channel(std::string_view s);
std::string_view to_string(Channel c);

// Half-open interval [start, end) of instants.
struct Interval {
    Instant start = 0;
    Instant end = 0;
    bool overlaps(const Interval& o) const { return start < o.end && o.start < end; }
    friend bool operator==(const Interval&, const Interval&) = default;
};

// A weekly rule in local time, shared by opening plans and recurring absences.
// weekdays: bit 0 = Monday ... bit 6 = Sunday (ISO order).
// Times are minutes since local midnight; end_minute may be 1440 (midnight).
// valid_from/valid_until are inclusive local days; every_n_weeks counts ISO weeks from the
// week that contains valid_from (1 = every week, 2 = every other week...).
struct WeeklyRule {
    std::uint8_t weekdays = 0;
    int start_minute = 0;
    int end_minute = 0;
    LocalDay valid_from = 0;
    std::optional<LocalDay> valid_until;
    int every_n_weeks = 1;
    // True when the rule applies on this local day (weekday, validity, week parity).
    bool applies_on(LocalDay day) const;
};

// ISO weekday of a local day: 0 = Monday ... 6 = Sunday (the bit index of WeeklyRule).
int iso_weekday_index(LocalDay day);
// Monday-based week count since the week of 1970-01-01; equal for days of one ISO week.
std::int64_t iso_week_number(LocalDay day);

// Recurring availability of one agent at one site for some motifs and channels.
struct OpeningPlan {
    Id id = 0;
    Id agent_id = 0;
    Id site_id = 0;
    WeeklyRule rule;
    std::vector<Id> motif_ids;  // empty = every motif of the organisation
    std::uint8_t channels = all_channels;
};

// One-off absence of an agent (instants) or a recurring one (local weekly rule, in the
// time zone of each site where the agent works).
struct Absence {
    Id agent_id = 0;
    Interval span;
};
struct RecurringAbsence {
    Id agent_id = 0;
    WeeklyRule rule;
};

struct Motif {
    Id id = 0;
    int duration_minutes = 30;
    int buffer_minutes = 0;    // free time kept after each appointment of this motif
    int min_lead_minutes = 0;  // earliest booking: now + lead
    int horizon_days = 60;     // latest booking: now + horizon
    std::uint8_t channels = all_channels;
};

}  // namespace vg::core
