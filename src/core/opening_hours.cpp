#include "core/opening_hours.hpp"

#include <algorithm>
#include <bitset>

#include "core/timefmt.hpp"

namespace vg::core {

namespace {

bool span_valid(const OpeningSpan& s) {
    return s.weekday >= 0 && s.weekday <= 6 && s.opens >= 0 && s.opens <= 1440 && s.closes >= 0 &&
           s.closes <= 1440 && s.opens < s.closes;
}

}  // namespace

std::vector<HoursProblem> validate_hours(const std::vector<OpeningSpan>& spans) {
    std::vector<HoursProblem> problems;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto& s = spans[i];
        if (s.weekday < 0 || s.weekday > 6) {
            problems.push_back({i, HoursError::bad_weekday});
        } else if (s.opens < 0 || s.opens > 1440 || s.closes < 0 || s.closes > 1440) {
            problems.push_back({i, HoursError::out_of_range});
        } else if (s.closes <= s.opens) {
            problems.push_back({i, HoursError::not_after});
        } else {
            for (std::size_t j = 0; j < i; ++j) {
                const auto& o = spans[j];
                if (span_valid(o) && o.weekday == s.weekday && o.opens < s.closes &&
                    s.opens < o.closes) {
                    problems.push_back({i, HoursError::overlap});
                    break;
                }
            }
        }
    }
    return problems;
}

const char* to_code(HoursError e) {
    switch (e) {
        case HoursError::bad_weekday:
            return "bad_weekday";
        case HoursError::out_of_range:
            return "out_of_range";
        case HoursError::not_after:
            return "not_after";
        case HoursError::overlap:
            return "overlap";
    }
    return "bad_weekday";
}

DayHours day_hours(const std::vector<OpeningSpan>& spans, int weekday) {
    // The union of the day's spans, minute by minute (overlaps are not counted twice).
    std::bitset<1440> open;
    for (const auto& s : spans)
        if (span_valid(s) && s.weekday == weekday)
            for (int m = s.opens; m < s.closes; ++m) open.set(std::size_t(m));
    int morning = 0, afternoon = 0;
    for (int m = 0; m < 1440; ++m)
        if (open.test(std::size_t(m))) ++(m < kHalfDaySplitMinute ? morning : afternoon);
    return {morning + afternoon, morning >= kHalfDayMinutes, afternoon >= kHalfDayMinutes};
}

namespace {

void add_day(HoursCheck& check, const DayHours& d) {
    check.minutes += d.minutes;
    check.half_days += int(d.morning) + int(d.afternoon);
}

}  // namespace

HoursCheck check_regular_week(const std::vector<OpeningSpan>& spans) {
    HoursCheck check;
    for (int wd = 0; wd < 7; ++wd) add_day(check, day_hours(spans, wd));
    return check;
}

HoursCheck check_week(const std::vector<OpeningSpan>& spans,
                      const std::vector<ClosureRange>& closures, LocalDay day) {
    HoursCheck check;
    const LocalDay monday = monday_of(day);
    for (int wd = 0; wd < 7; ++wd) {
        const LocalDay d = monday + wd;
        const DayHours hours = day_hours(spans, wd);
        const bool closed = std::any_of(closures.begin(), closures.end(), [&](const auto& c) {
            return valid_closure(c) && c.covers(d);
        });
        if (!closed) {
            add_day(check, hours);
        } else if (hours.minutes > 0) {
            ++check.closed_days;
        }
    }
    return check;
}

std::vector<WeekShortfall> weeks_below_minimum(const std::vector<OpeningSpan>& spans,
                                               const std::vector<ClosureRange>& closures,
                                               LocalDay from, LocalDay to) {
    std::vector<WeekShortfall> out;
    if (from > to) return out;
    for (LocalDay monday = monday_of(from); monday <= to; monday += 7) {
        const HoursCheck check = check_week(spans, closures, monday);
        if (!check.meets_minimum()) out.push_back({monday, check});
    }
    return out;
}

}  // namespace vg::core
