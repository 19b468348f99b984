#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/timefmt.hpp"

using namespace vg::core;

TEST(TimeFmt, Iso8601WithOffsets) {
    auto paris = date::locate_zone("Europe/Paris");
    // 2026-07-01T10:00:00Z is 12:00 in Paris (CEST).
    EXPECT_EQ(iso8601(1782900000, paris), "2026-07-01T12:00:00+02:00");
    EXPECT_EQ(iso8601(1782900000, date::locate_zone("Asia/Kathmandu")),
              "2026-07-01T15:45:00+05:45");
    EXPECT_EQ(iso8601(1782900000, date::locate_zone("America/Cayenne")),
              "2026-07-01T07:00:00-03:00");
}

TEST(TimeFmt, ParseIso8601) {
    EXPECT_EQ(parse_iso8601("2026-07-01T12:00:00+02:00"), 1782900000);
    EXPECT_EQ(parse_iso8601("2026-07-01T10:00:00Z"), 1782900000);
    EXPECT_EQ(parse_iso8601("2026-07-01T10:00Z"), 1782900000);
    for (auto bad : {"2026-07-01T10:00:00", "2026-02-30T10:00:00Z", "2026-07-01T24:00:00Z",
                     "2026-07-01T10:00:00+2:00", "garbage", "", "2026-07-01T10:00:00Zjunk"})
        EXPECT_FALSE(parse_iso8601(bad)) << bad;
}

TEST(TimeFmt, Ymd) {
    EXPECT_TRUE(parse_ymd("2028-02-29"));
    EXPECT_FALSE(parse_ymd("2027-02-29"));
    EXPECT_FALSE(parse_ymd("2027-2-28"));
    EXPECT_EQ(format_ymd(*parse_ymd("2026-12-31")), "2026-12-31");
    auto d = *parse_ymd("2026-11-26");  // a Thursday
    EXPECT_EQ(format_ymd(monday_of(d)), "2026-11-23");
    EXPECT_EQ(day_parts(d).weekday, 4);
}

TEST(TimeFmt, LocalDayAndMidnight) {
    auto paris = date::locate_zone("Europe/Paris");
    auto d = *parse_ymd("2026-03-29");  // spring forward at 02:00
    auto midnight = start_of_local_day(d, paris);
    EXPECT_EQ(iso8601(midnight, paris), "2026-03-29T00:00:00+01:00");
    EXPECT_EQ(local_day_of(midnight, paris), d);
    EXPECT_EQ(local_day_of(midnight - 1, paris), d - 1);
    auto p = local_parts(midnight + 3 * 3600, paris);  // 03:00 UTC+1 -> 04:00 CEST
    EXPECT_EQ(p.hour, 4);
}

TEST(TimeFmt, ParsesOnlyWhatPrintsBack) {
    // Found by tests/fuzz/iso8601.cpp: "9999-12-31T23:59:59-14:00" is year 10000 in UTC, which
    // iso8601() printed as "10000-01-01T13:59:59+00:00", a text parse_iso8601 refuses.
    EXPECT_EQ(parse_iso8601("9999-12-31T23:59:59-14:00"), std::nullopt);
    EXPECT_EQ(parse_iso8601("1969-12-31T23:59:59Z"), std::nullopt);
    EXPECT_EQ(parse_iso8601("0000-01-01T00:00+01:00"), std::nullopt);
    EXPECT_EQ(parse_iso8601("1970-01-01T00:00Z"), kEarliestInstant);
    EXPECT_EQ(parse_iso8601("9999-12-30T00:00Z"), kLatestInstant);
    for (auto* zone : {zone_or_default("UTC"), zone_or_default("Europe/Paris"),
                       zone_or_default("Pacific/Kiritimati"), zone_or_default("Pacific/Niue")})
        for (auto t : {kEarliestInstant, kLatestInstant})
            EXPECT_EQ(parse_iso8601(iso8601(t, zone)), t) << iso8601(t, zone);
}

// ZoneClock gives what local_day_of and local_parts give, for instants in time order (its fast
// path) and in random order, across both of Paris's daylight saving changes of 2026, in a zone
// without them (Réunion) and one with a quarter-hour offset, before 1970 local midnight too.
TEST(TimeFmt, ZoneClockAgreesWithLocalParts) {
    for (auto* name : {"Europe/Paris", "Indian/Reunion", "Asia/Kathmandu", "America/Cayenne"}) {
        auto zone = zone_or_default(name);
        ZoneClock clock(zone), shuffled(zone);
        std::vector<Instant> instants;
        // 2026-01-01 to 2027-01-01 every 7 minutes 13 seconds, and around 1970-01-01.
        for (Instant t = 1767225600; t < 1798761600; t += 433) instants.push_back(t);
        for (Instant t = 0; t < 3 * 86400; t += 433) instants.push_back(t);
        for (auto t : instants) {
            auto p = local_parts(t, zone);
            ASSERT_EQ(clock.day(t), local_day_of(t, zone)) << name << " " << t;
            ASSERT_EQ(clock.hour(t), p.hour) << name << " " << t;
            ASSERT_EQ(weekday_of(clock.day(t)), p.weekday) << name << " " << t;
        }
        std::mt19937 rng(7);
        std::shuffle(instants.begin(), instants.end(), rng);
        for (auto t : instants)
            ASSERT_EQ(shuffled.day(t), local_day_of(t, zone)) << name << " " << t;
    }
}
