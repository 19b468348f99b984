// A partner site's opening hours and the convention's minimum (issue 15, seed 001, art. 4:
// "au minimum 4 demi-journées par semaine et 12 heures"). Pure rule, no I/O.
//
// Units are those of migration 22 (tables partner_hours, partner_closures): weekday 0 =
// Monday ... 6 = Sunday, times of day in minutes after local midnight (0..1440), days as
// core::LocalDay. docs/PARTNERS.md ("Opening hours rule") states the definition below.
//
// A half-day: the morning is [00:00, 13:00), the afternoon [13:00, 24:00). A half-day of a
// given day counts when the site is open at least 2 hours (kHalfDayMinutes) in it, adding
// the day's intervals (9:00-10:00 and 10:30-11:30 make 2 hours). An interval that spans
// 13:00 gives its minutes on each side to each half: 10:00-16:00 counts for both halves,
// 12:00-14:00 (one hour each side) for neither, though it adds 2 hours to the week.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/types.hpp"

namespace vg::core {

inline constexpr int kHalfDaySplitMinute = 13 * 60;  // afternoon starts at 13:00
inline constexpr int kHalfDayMinutes = 2 * 60;       // least opening for a half-day to count
inline constexpr int kMinWeeklyMinutes = 12 * 60;    // art. 4: 12 hours a week
inline constexpr int kMinWeeklyHalfDays = 4;         // art. 4: 4 half-days a week

// One opening interval [opens, closes) of a weekday (a row of partner_hours).
struct OpeningSpan {
    int weekday = 0;  // 0 = Monday ... 6 = Sunday
    int opens = 0;    // minutes after midnight, 0..1439
    int closes = 0;   // minutes after midnight, 1..1440, > opens
    friend bool operator==(const OpeningSpan&, const OpeningSpan&) = default;
};

// An exceptional closure: every day from `from` to `to`, both included (partner_closures).
struct ClosureRange {
    LocalDay from = 0;
    LocalDay to = 0;
    bool covers(LocalDay d) const { return from <= d && d <= to; }
};

enum class HoursError {
    bad_weekday,   // weekday outside 0..6
    out_of_range,  // opens or closes outside 0..1440
    not_after,     // closes <= opens
    overlap,       // overlaps an earlier span of the same weekday (touching is allowed)
};
struct HoursProblem {
    std::size_t index = 0;  // position of the faulty span in the list given
    HoursError error = HoursError::bad_weekday;
    friend bool operator==(const HoursProblem&, const HoursProblem&) = default;
};
// Every problem of the list, one per faulty span, in list order (empty: valid). A span
// that overlaps another is reported at the later one in list order.
std::vector<HoursProblem> validate_hours(const std::vector<OpeningSpan>& spans);
// "bad_weekday", "out_of_range", "not_after", "overlap" (stable codes for messages).
const char* to_code(HoursError e);
// A closure is valid when from <= to.
inline bool valid_closure(const ClosureRange& c) {
    return c.from <= c.to;
}

// A week's figures against the minimum.
struct HoursCheck {
    int minutes = 0;      // minutes open in the week
    int half_days = 0;    // half-days that count (see above)
    int closed_days = 0;  // days of the week with opening hours that a closure removed
    bool enough_hours() const { return minutes >= kMinWeeklyMinutes; }
    bool enough_half_days() const { return half_days >= kMinWeeklyHalfDays; }
    bool meets_minimum() const { return enough_hours() && enough_half_days(); }
    // Missing minutes / half-days (0 when that condition holds).
    int missing_minutes() const { return enough_hours() ? 0 : kMinWeeklyMinutes - minutes; }
    int missing_half_days() const {
        return enough_half_days() ? 0 : kMinWeeklyHalfDays - half_days;
    }
};

// The minimum per day of the week: figures for one weekday's spans (0..1 half-days each).
struct DayHours {
    int minutes = 0;
    bool morning = false;    // the morning counts as a half-day
    bool afternoon = false;  // the afternoon counts as a half-day
};
DayHours day_hours(const std::vector<OpeningSpan>& spans, int weekday);

// The regular week (no closure). Spans must be valid (validate_hours); invalid ones are
// ignored rather than counted.
HoursCheck check_regular_week(const std::vector<OpeningSpan>& spans);
// The ISO week (Monday to Sunday) that contains `day`, with its closures: a day covered by a
// closure contributes nothing.
HoursCheck check_week(const std::vector<OpeningSpan>& spans,
                      const std::vector<ClosureRange>& closures, LocalDay day);

// A week that does not meet the minimum, named by its Monday.
struct WeekShortfall {
    LocalDay monday = 0;
    HoursCheck check;
};
// Every ISO week touching [from, to] that falls short of the minimum, in order (e.g. the
// weeks a new closure touches, to warn the CAF's partner manager). Empty when from > to.
std::vector<WeekShortfall> weeks_below_minimum(const std::vector<OpeningSpan>& spans,
                                               const std::vector<ClosureRange>& closures,
                                               LocalDay from, LocalDay to);

}  // namespace vg::core
