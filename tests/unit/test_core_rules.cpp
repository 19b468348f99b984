// Channels and weekly rules: weekday bits, inclusive validity, ISO week parity.
#include <date/date.h>
#include <gtest/gtest.h>

#include "core/types.hpp"

namespace vg::core {
namespace {

LocalDay day(int y, unsigned m, unsigned d) {
    return LocalDay(
        date::local_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count());
}

constexpr std::uint8_t mon = 1 << 0, tue = 1 << 1, wed = 1 << 2, thu = 1 << 3, fri = 1 << 4,
                       sat = 1 << 5, sun = 1 << 6;

WeeklyRule rule(std::uint8_t weekdays, LocalDay from, std::optional<LocalDay> until = {},
                int every = 1) {
    WeeklyRule r;
    r.weekdays = weekdays;
    r.start_minute = 9 * 60;
    r.end_minute = 12 * 60;
    r.valid_from = from;
    r.valid_until = until;
    r.every_n_weeks = every;
    return r;
}

TEST(CoreChannel, ParsesAndPrintsEveryChannel) {
    for (Channel c : {Channel::video, Channel::on_site, Channel::phone}) {
        const auto parsed = parse_channel(to_string(c));
        ASSERT_TRUE(parsed.has_value());
        EXPECT_EQ(*parsed, c);
    }
    EXPECT_EQ(to_string(Channel::on_site), "on_site");
    EXPECT_EQ(parse_channel("phone"), Channel::phone);
}

TEST(CoreChannel, RejectsUnknownSpellings) {
    EXPECT_FALSE(parse_channel("").has_value());
    EXPECT_FALSE(parse_channel("Video").has_value());
    EXPECT_FALSE(parse_channel("onsite").has_value());
    EXPECT_FALSE(parse_channel("video ").has_value());
}

TEST(CoreChannel, BitsAreDistinct) {
    EXPECT_EQ(
        channel_bit(Channel::video) | channel_bit(Channel::on_site) | channel_bit(Channel::phone),
        all_channels);
}

TEST(CoreRules, IsoWeekdayOfKnownDays) {
    EXPECT_EQ(iso_weekday_index(0), 3);                  // 1970-01-01, Thursday
    EXPECT_EQ(iso_weekday_index(day(1969, 12, 29)), 0);  // Monday before the epoch
    EXPECT_EQ(iso_weekday_index(day(1969, 12, 28)), 6);  // Sunday
    EXPECT_EQ(iso_weekday_index(day(2025, 3, 30)), 6);   // Sunday
    EXPECT_EQ(iso_weekday_index(day(2028, 2, 29)), 1);   // Tuesday
    EXPECT_EQ(iso_weekday_index(day(2026, 1, 1)), 3);    // Thursday
}

TEST(CoreRules, IsoWeekChangesOnMonday) {
    EXPECT_EQ(iso_week_number(day(2025, 6, 1)) + 1, iso_week_number(day(2025, 6, 2)));
    EXPECT_EQ(iso_week_number(day(2025, 6, 2)), iso_week_number(day(2025, 6, 8)));
    EXPECT_EQ(iso_week_number(day(1969, 12, 28)) + 1, iso_week_number(day(1969, 12, 29)));
    EXPECT_EQ(iso_week_number(day(1969, 12, 29)), iso_week_number(0));
}

TEST(CoreRules, WeekdayBits) {
    const WeeklyRule r = rule(mon | wed | fri, day(2025, 1, 1));
    EXPECT_TRUE(r.applies_on(day(2025, 6, 2)));   // Monday
    EXPECT_FALSE(r.applies_on(day(2025, 6, 3)));  // Tuesday
    EXPECT_TRUE(r.applies_on(day(2025, 6, 4)));   // Wednesday
    EXPECT_FALSE(r.applies_on(day(2025, 6, 5)));  // Thursday
    EXPECT_TRUE(r.applies_on(day(2025, 6, 6)));   // Friday
    EXPECT_FALSE(r.applies_on(day(2025, 6, 7)));  // Saturday
    EXPECT_FALSE(r.applies_on(day(2025, 6, 8)));  // Sunday
    const WeeklyRule weekend = rule(sat | sun, day(2025, 1, 1));
    EXPECT_TRUE(weekend.applies_on(day(2025, 6, 7)));
    EXPECT_TRUE(weekend.applies_on(day(2025, 6, 8)));
    EXPECT_FALSE(rule(0, day(2025, 1, 1)).applies_on(day(2025, 6, 2)));
}

TEST(CoreRules, ValidityBoundsAreInclusive) {
    const std::uint8_t all = mon | tue | wed | thu | fri | sat | sun;
    const WeeklyRule r = rule(all, day(2025, 6, 4), day(2025, 6, 6));
    EXPECT_FALSE(r.applies_on(day(2025, 6, 3)));
    EXPECT_TRUE(r.applies_on(day(2025, 6, 4)));
    EXPECT_TRUE(r.applies_on(day(2025, 6, 6)));
    EXPECT_FALSE(r.applies_on(day(2025, 6, 7)));
    const WeeklyRule open_ended = rule(all, day(2025, 6, 4));
    EXPECT_TRUE(open_ended.applies_on(day(2040, 6, 4)));
}

TEST(CoreRules, EveryOtherWeekCountsFromTheWeekOfValidFrom) {
    // valid_from is a Thursday: its week (from Monday 2 June) is week 0.
    const WeeklyRule r = rule(mon | thu, day(2025, 6, 5), {}, 2);
    EXPECT_FALSE(r.applies_on(day(2025, 6, 2)));   // before valid_from
    EXPECT_TRUE(r.applies_on(day(2025, 6, 5)));    // week 0
    EXPECT_FALSE(r.applies_on(day(2025, 6, 9)));   // week 1
    EXPECT_FALSE(r.applies_on(day(2025, 6, 12)));  // week 1
    EXPECT_TRUE(r.applies_on(day(2025, 6, 16)));   // week 2
    EXPECT_TRUE(r.applies_on(day(2025, 6, 19)));
    EXPECT_FALSE(r.applies_on(day(2025, 6, 23)));
    EXPECT_TRUE(r.applies_on(day(2025, 6, 30)));
}

TEST(CoreRules, EveryOtherWeekAcrossYearEnd) {
    const WeeklyRule r = rule(mon, day(2025, 12, 29), {}, 2);
    EXPECT_TRUE(r.applies_on(day(2025, 12, 29)));
    EXPECT_FALSE(r.applies_on(day(2026, 1, 5)));
    EXPECT_TRUE(r.applies_on(day(2026, 1, 12)));
}

TEST(CoreRules, EveryThirdWeekAndWeeklyFallbacks) {
    const WeeklyRule third = rule(mon, day(2025, 6, 2), {}, 3);
    EXPECT_TRUE(third.applies_on(day(2025, 6, 2)));
    EXPECT_FALSE(third.applies_on(day(2025, 6, 9)));
    EXPECT_FALSE(third.applies_on(day(2025, 6, 16)));
    EXPECT_TRUE(third.applies_on(day(2025, 6, 23)));
    for (int every : {0, 1, -4}) {
        const WeeklyRule weekly = rule(mon, day(2025, 6, 2), {}, every);
        EXPECT_TRUE(weekly.applies_on(day(2025, 6, 9))) << every;
        EXPECT_TRUE(weekly.applies_on(day(2025, 6, 16))) << every;
    }
}

TEST(CoreRules, LeapDay2028IsATuesday) {
    const WeeklyRule r = rule(tue, day(2028, 1, 1));
    EXPECT_FALSE(r.applies_on(day(2028, 2, 28)));
    EXPECT_TRUE(r.applies_on(day(2028, 2, 29)));
    EXPECT_FALSE(r.applies_on(day(2028, 3, 1)));
    EXPECT_EQ(day(2028, 3, 1) - day(2028, 2, 28), 2);
}

}  // namespace
}  // namespace vg::core
