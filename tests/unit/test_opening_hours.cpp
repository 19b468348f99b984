// The convention's minimum opening (seed 001, art. 4): 4 half-days and 12 hours a week,
// half-days as docs/PARTNERS.md defines them, closures breaking a given week.
#include <date/date.h>
#include <gtest/gtest.h>

#include "core/opening_hours.hpp"

namespace vg::core {
namespace {

LocalDay day(int y, unsigned m, unsigned d) {
    return LocalDay(
        date::local_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count());
}

constexpr int h(int hours, int minutes = 0) {
    return hours * 60 + minutes;
}
enum : int { mon, tue, wed, thu, fri, sat, sun };

// Monday to Thursday mornings, 9:00-12:00: 12 hours, 4 half-days, exactly the minimum.
std::vector<OpeningSpan> four_mornings() {
    return {{mon, h(9), h(12)}, {tue, h(9), h(12)}, {wed, h(9), h(12)}, {thu, h(9), h(12)}};
}

// 2026-11-23 is a Monday.
const LocalDay kMonday = day(2026, 11, 23);

TEST(OpeningHours, ExactlyTwelveHoursAndFourHalfDaysMeetTheMinimum) {
    ASSERT_EQ(iso_weekday_index(kMonday), 0);
    const auto check = check_regular_week(four_mornings());
    EXPECT_EQ(check.minutes, 720);
    EXPECT_EQ(check.half_days, 4);
    EXPECT_TRUE(check.enough_hours());
    EXPECT_TRUE(check.enough_half_days());
    EXPECT_TRUE(check.meets_minimum());
    EXPECT_EQ(check.missing_minutes(), 0);
    EXPECT_EQ(check.missing_half_days(), 0);
}

TEST(OpeningHours, ElevenHoursFiftyNineFailOnHoursOnly) {
    auto spans = four_mornings();
    spans[3].closes = h(11, 59);
    const auto check = check_regular_week(spans);
    EXPECT_EQ(check.minutes, 719);
    EXPECT_EQ(check.half_days, 4);
    EXPECT_FALSE(check.enough_hours());
    EXPECT_TRUE(check.enough_half_days());
    EXPECT_FALSE(check.meets_minimum());
    EXPECT_EQ(check.missing_minutes(), 1);
    EXPECT_EQ(check.missing_half_days(), 0);
}

TEST(OpeningHours, ThreeHalfDaysFailEvenWithManyHours) {
    // Monday 9:00-17:00 (both halves) and Tuesday 8:00-13:00 (the morning): 13 hours.
    std::vector<OpeningSpan> spans = {{mon, h(9), h(17)}, {tue, h(8), h(13)}};
    auto check = check_regular_week(spans);
    EXPECT_EQ(check.minutes, 780);
    EXPECT_EQ(check.half_days, 3);
    EXPECT_TRUE(check.enough_hours());
    EXPECT_FALSE(check.enough_half_days());
    EXPECT_EQ(check.missing_half_days(), 1);
    EXPECT_FALSE(check.meets_minimum());
    // A fourth half-day of exactly 2 hours counts; 1 h 59 does not.
    spans.push_back({wed, h(14), h(15, 59)});
    EXPECT_EQ(check_regular_week(spans).half_days, 3);
    spans.back().closes = h(16);
    check = check_regular_week(spans);
    EXPECT_EQ(check.half_days, 4);
    EXPECT_EQ(check.minutes, 900);
    EXPECT_TRUE(check.meets_minimum());
}

TEST(OpeningHours, IntervalsSpanningThirteenHoursCountOnEachSide) {
    // 10:00-16:00: 3 hours each side, both halves count.
    auto d = day_hours({{fri, h(10), h(16)}}, fri);
    EXPECT_EQ(d.minutes, 360);
    EXPECT_TRUE(d.morning);
    EXPECT_TRUE(d.afternoon);
    // 12:00-14:00: one hour each side, neither counts, but 2 hours are open.
    d = day_hours({{fri, h(12), h(14)}}, fri);
    EXPECT_EQ(d.minutes, 120);
    EXPECT_FALSE(d.morning);
    EXPECT_FALSE(d.afternoon);
    // 11:00-15:00: exactly 2 hours each side.
    d = day_hours({{fri, h(11), h(15)}}, fri);
    EXPECT_TRUE(d.morning);
    EXPECT_TRUE(d.afternoon);
    // 11:30-15:00: 1 h 30 in the morning (does not count), 2 h after 13:00 (counts).
    d = day_hours({{fri, h(11, 30), h(15)}}, fri);
    EXPECT_FALSE(d.morning);
    EXPECT_TRUE(d.afternoon);
    // Two short intervals add up within a half: 9:00-10:00 and 10:30-11:30.
    d = day_hours({{fri, h(9), h(10)}, {fri, h(10, 30), h(11, 30)}}, fri);
    EXPECT_EQ(d.minutes, 120);
    EXPECT_TRUE(d.morning);
    // Another weekday's spans do not count for this one.
    EXPECT_EQ(day_hours({{thu, h(9), h(17)}}, fri).minutes, 0);
    // Three days of 10:00-14:00 (4 h, 2 h in the morning, 1 h after 13:00): 12 h, 3
    // half-days only.
    const auto check =
        check_regular_week({{mon, h(10), h(14)}, {tue, h(10), h(14)}, {wed, h(10), h(14)}});
    EXPECT_EQ(check.minutes, 720);
    EXPECT_EQ(check.half_days, 3);
    EXPECT_FALSE(check.meets_minimum());
}

TEST(OpeningHours, AClosureOnOneDayBreaksThatWeekOnly) {
    const auto spans = four_mornings();
    const std::vector<ClosureRange> closures = {{kMonday + 1, kMonday + 1}};  // Tuesday
    auto check = check_week(spans, closures, kMonday + 3);                    // any day of the week
    EXPECT_EQ(check.minutes, 540);
    EXPECT_EQ(check.half_days, 3);
    EXPECT_EQ(check.closed_days, 1);
    EXPECT_FALSE(check.enough_hours());
    EXPECT_FALSE(check.enough_half_days());
    EXPECT_EQ(check.missing_minutes(), 180);
    EXPECT_EQ(check.missing_half_days(), 1);
    // The week before and the week after are untouched.
    EXPECT_TRUE(check_week(spans, closures, kMonday - 1).meets_minimum());
    EXPECT_TRUE(check_week(spans, closures, kMonday + 7).meets_minimum());
    // A closure on a day without hours (Sunday) changes nothing.
    check = check_week(spans, {{kMonday + 6, kMonday + 6}}, kMonday);
    EXPECT_TRUE(check.meets_minimum());
    EXPECT_EQ(check.closed_days, 0);
    // With a Friday afternoon on top, losing Tuesday still leaves the minimum.
    auto more = spans;
    more.push_back({fri, h(14), h(17)});
    EXPECT_TRUE(check_week(more, closures, kMonday).meets_minimum());
}

TEST(OpeningHours, AClosureOverTheWholeWeekLeavesNothing) {
    // From the Saturday before to the Monday after.
    const std::vector<ClosureRange> closures = {{kMonday - 2, kMonday + 7}};
    const auto check = check_week(four_mornings(), closures, kMonday);
    EXPECT_EQ(check.minutes, 0);
    EXPECT_EQ(check.half_days, 0);
    EXPECT_EQ(check.closed_days, 4);
    EXPECT_EQ(check.missing_minutes(), 720);
    EXPECT_EQ(check.missing_half_days(), 4);
    // The weeks the closure touches: this one, and the next (its Monday is closed).
    const auto weeks = weeks_below_minimum(four_mornings(), closures, kMonday - 2, kMonday + 7);
    ASSERT_EQ(weeks.size(), 2u);
    EXPECT_EQ(weeks[0].monday, kMonday);
    EXPECT_EQ(weeks[0].check.minutes, 0);
    EXPECT_EQ(weeks[1].monday, kMonday + 7);
    EXPECT_EQ(weeks[1].check.minutes, 540);
    // The week before lost only its weekend: it is not listed although the range starts there.
    EXPECT_TRUE(check_week(four_mornings(), closures, kMonday - 2).meets_minimum());
    EXPECT_TRUE(weeks_below_minimum(four_mornings(), closures, kMonday + 8, kMonday).empty());
    EXPECT_TRUE(weeks_below_minimum(four_mornings(), {}, kMonday, kMonday + 30).empty());
}

TEST(OpeningHours, BadInputIsRefusedSpanBySpan) {
    EXPECT_TRUE(validate_hours(four_mornings()).empty());
    EXPECT_TRUE(validate_hours({}).empty());
    // Touching spans and the whole day are fine.
    EXPECT_TRUE(validate_hours({{mon, h(9), h(12)}, {mon, h(12), h(14)}, {sun, 0, 1440}}).empty());
    const std::vector<OpeningSpan> bad = {
        {7, h(9), h(12)},     // 0: no eighth weekday
        {-1, h(9), h(12)},    // 1
        {mon, -1, h(12)},     // 2: before midnight
        {mon, h(20), 1441},   // 3: after midnight
        {mon, h(12), h(12)},  // 4: empty
        {mon, h(12), h(9)},   // 5: reversed
        {tue, h(9), h(12)},   // 6: fine
        {tue, h(11), h(13)},  // 7: overlaps 6
        {wed, h(8), h(18)},   // 8: fine
        {wed, h(10), h(11)},  // 9: inside 8
        {thu, h(9), h(12)},   // 10: fine (same hours as 6, another day)
    };
    const std::vector<HoursProblem> expected = {
        {0, HoursError::bad_weekday},  {1, HoursError::bad_weekday}, {2, HoursError::out_of_range},
        {3, HoursError::out_of_range}, {4, HoursError::not_after},   {5, HoursError::not_after},
        {7, HoursError::overlap},      {9, HoursError::overlap},
    };
    EXPECT_EQ(validate_hours(bad), expected);
    EXPECT_STREQ(to_code(HoursError::overlap), "overlap");
    EXPECT_STREQ(to_code(HoursError::not_after), "not_after");
    EXPECT_TRUE(valid_closure({kMonday, kMonday}));
    EXPECT_FALSE(valid_closure({kMonday, kMonday - 1}));
    // Invalid spans are not counted (the overlapping ones are counted once).
    const auto check = check_regular_week(bad);
    EXPECT_EQ(check.minutes, h(4) + h(10) + h(3));  // tue 9-13, wed 8-18, thu 9-12
}

}  // namespace
}  // namespace vg::core
