// Availability engine: local-time expansion (DST, odd offsets), exceptions, merging, filters.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/availability.hpp"
#include "core/holidays.hpp"

namespace vg::core {
namespace {

constexpr std::uint8_t mon = 1 << 0, tue = 1 << 1, wed = 1 << 2, thu = 1 << 3, fri = 1 << 4,
                       sun = 1 << 6;
constexpr std::uint8_t weekdays = mon | tue | wed | thu | fri;
constexpr std::uint8_t every_day = 0x7f;

LocalDay day(int y, unsigned m, unsigned d) {
    return LocalDay(
        date::local_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count());
}

int hm(int h, int m = 0) {
    return h * 60 + m;
}

// A UTC instant written out by hand, so expectations do not reuse the code under test.
Instant utc(int y, unsigned m, unsigned d, int h, int min = 0) {
    return Instant(day(y, m, d)) * 86400 + h * 3600 + min * 60;
}

const date::time_zone* zone(const char* name) {
    return date::locate_zone(name);
}

// Local wall time in a zone (earliest when ambiguous), for inputs such as "now" or busy.
Instant local(const char* zone_name, int y, unsigned m, unsigned d, int h, int min = 0) {
    const auto lt = date::local_days{date::year{y} / date::month{m} / date::day{d}} +
                    std::chrono::hours{h} + std::chrono::minutes{min};
    return date::zoned_time<std::chrono::seconds>{zone(zone_name), lt, date::choose::earliest}
        .get_sys_time()
        .time_since_epoch()
        .count();
}

OpeningPlan plan(Id agent, Id site, std::uint8_t days, int start, int end, LocalDay from,
                 std::optional<LocalDay> until = {}, int every = 1) {
    OpeningPlan p;
    p.id = agent * 100 + site;
    p.agent_id = agent;
    p.site_id = site;
    p.rule.weekdays = days;
    p.rule.start_minute = start;
    p.rule.end_minute = end;
    p.rule.valid_from = from;
    p.rule.valid_until = until;
    p.rule.every_n_weeks = every;
    return p;
}

// One Paris site, a 30-minute motif, no lead time, a long horizon, "now" far in the past.
AvailabilityInput input(LocalDay from, LocalDay to, const char* zone_name = "Europe/Paris") {
    AvailabilityInput in;
    in.motif.id = 5;
    in.motif.duration_minutes = 30;
    in.motif.min_lead_minutes = 0;
    in.motif.horizon_days = 100000;
    in.channel = Channel::video;
    in.from = from;
    in.to = to;
    in.now = utc(2020, 1, 1, 0);
    in.sites.push_back({1, zone(zone_name), {}});
    return in;
}

std::vector<Instant> starts(const std::vector<Slot>& slots) {
    std::vector<Instant> out;
    for (const auto& s : slots) out.push_back(s.start);
    return out;
}

// Every slot must last exactly the motif duration and be sorted by (start, site).
void expect_well_formed(const std::vector<Slot>& slots, int duration_minutes) {
    for (std::size_t i = 0; i < slots.size(); ++i) {
        EXPECT_EQ(slots[i].end - slots[i].start, Instant(duration_minutes) * 60);
        EXPECT_FALSE(slots[i].agents.empty());
        EXPECT_TRUE(std::is_sorted(slots[i].agents.begin(), slots[i].agents.end()));
        EXPECT_EQ(std::adjacent_find(slots[i].agents.begin(), slots[i].agents.end()),
                  slots[i].agents.end());
        if (i > 0) {
            const bool ordered =
                slots[i - 1].start < slots[i].start ||
                (slots[i - 1].start == slots[i].start && slots[i - 1].site_id < slots[i].site_id);
            EXPECT_TRUE(ordered) << i;
        }
    }
}

TEST(CoreAvailability, GridOfOneMorning) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 3));  // Monday, Tuesday
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(12), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(slots[i].start, utc(2025, 6, 2, 7, 30 * i));  // CEST = UTC+2
        EXPECT_EQ(slots[i].site_id, 1);
        EXPECT_EQ(slots[i].agents, std::vector<Id>{7});
    }
    expect_well_formed(slots, 30);
}

TEST(CoreAvailability, SpringForwardSkipsMissingLocalTimes) {
    auto in = input(day(2025, 3, 30), day(2025, 3, 30));  // Sunday, 02:00 -> 03:00
    in.plans.push_back(plan(1, 1, sun, hm(1), hm(4), day(2025, 1, 1)));
    in.plans.push_back(plan(2, 1, sun, hm(9), hm(10), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    const std::vector<Instant> expected = {
        utc(2025, 3, 30, 0, 0),   // 01:00 CET
        utc(2025, 3, 30, 0, 30),  // 01:30 CET, ends 03:00 CEST
        utc(2025, 3, 30, 1, 0),   // 03:00 CEST (02:00 and 02:30 do not exist)
        utc(2025, 3, 30, 1, 30),  // 03:30 CEST, ends at the plan end 04:00 CEST
        utc(2025, 3, 30, 7, 0),   // 09:00 CEST stays 09:00 local
        utc(2025, 3, 30, 7, 30),
    };
    EXPECT_EQ(starts(slots), expected);
    expect_well_formed(slots, 30);
}

TEST(CoreAvailability, NineOClockStaysNineAcrossBothChanges) {
    auto in = input(day(2025, 3, 29), day(2025, 3, 31));
    in.plans.push_back(plan(1, 1, every_day, hm(9), hm(9, 30), day(2025, 1, 1)));
    EXPECT_EQ(
        starts(compute_slots(in)),
        (std::vector<Instant>{utc(2025, 3, 29, 8), utc(2025, 3, 30, 7), utc(2025, 3, 31, 7)}));
    in.from = day(2025, 10, 25);
    in.to = day(2025, 10, 27);
    EXPECT_EQ(
        starts(compute_slots(in)),
        (std::vector<Instant>{utc(2025, 10, 25, 7), utc(2025, 10, 26, 8), utc(2025, 10, 27, 8)}));
}

TEST(CoreAvailability, SlotAcrossTheGapMustEndByThePlanEnd) {
    // 01:00 CET + 90 min ends at 03:30 CEST, after the plan end 03:00 CEST.
    auto in = input(day(2025, 3, 30), day(2025, 3, 30));
    in.motif.duration_minutes = 90;
    in.plans.push_back(plan(1, 1, sun, hm(1), hm(3), day(2025, 1, 1)));
    EXPECT_TRUE(compute_slots(in).empty());
    in.motif.duration_minutes = 60;  // 01:00 CET -> 03:00 CEST exactly
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 1u);
    EXPECT_EQ(slots[0].start, utc(2025, 3, 30, 0));
    EXPECT_EQ(slots[0].end, utc(2025, 3, 30, 1));
}

TEST(CoreAvailability, FallBackTakesTheEarliestOfAmbiguousTimes) {
    auto in = input(day(2025, 10, 26), day(2025, 10, 26));  // Sunday, 03:00 -> 02:00
    in.plans.push_back(plan(1, 1, sun, hm(1), hm(4), day(2025, 1, 1)));
    in.plans.push_back(plan(2, 1, sun, hm(9), hm(10), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    const std::vector<Instant> expected = {
        utc(2025, 10, 25, 23, 0),   // 01:00 CEST
        utc(2025, 10, 25, 23, 30),  // 01:30 CEST
        utc(2025, 10, 26, 0, 0),    // 02:00, first occurrence (CEST)
        utc(2025, 10, 26, 0, 30),   // 02:30 CEST
        utc(2025, 10, 26, 2, 0),    // 03:00 CET
        utc(2025, 10, 26, 2, 30),   // 03:30 CET, ends at 04:00 CET
        utc(2025, 10, 26, 8, 0),    // 09:00 CET
        utc(2025, 10, 26, 8, 30),
    };
    EXPECT_EQ(starts(slots), expected);
    expect_well_formed(slots, 30);
}

TEST(CoreAvailability, SlotAcrossFallBackLastsItsDuration) {
    auto in = input(day(2025, 10, 26), day(2025, 10, 26));
    in.motif.duration_minutes = 90;
    in.plans.push_back(plan(1, 1, sun, hm(1), hm(4), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 2u);
    EXPECT_EQ(slots[0].start, utc(2025, 10, 25, 23, 0));
    EXPECT_EQ(slots[1].start, utc(2025, 10, 26, 0, 30));  // 02:30 CEST
    EXPECT_EQ(slots[1].end, utc(2025, 10, 26, 2, 0));     // 03:00 CET
    expect_well_formed(slots, 90);
}

TEST(CoreAvailability, PlanValidityInsideTheRange) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 8));  // Monday to Sunday
    in.plans.push_back(plan(1, 1, every_day, hm(9), hm(9, 30), day(2025, 6, 4), day(2025, 6, 6)));
    in.plans.push_back(plan(2, 1, every_day, hm(10), hm(10, 30), day(2025, 6, 7)));
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 4, 7), utc(2025, 6, 5, 7), utc(2025, 6, 6, 7),
                                    utc(2025, 6, 7, 8), utc(2025, 6, 8, 8)}));
}

TEST(CoreAvailability, EveryOtherWeek) {
    auto in = input(day(2025, 6, 2), day(2025, 7, 6));
    // valid_from Thursday 5 June: Mondays and Thursdays of even weeks from that week.
    in.plans.push_back(plan(1, 1, mon | thu, hm(9), hm(9, 30), day(2025, 6, 5), {}, 2));
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 5, 7), utc(2025, 6, 16, 7), utc(2025, 6, 19, 7),
                                    utc(2025, 6, 30, 7), utc(2025, 7, 3, 7)}));
}

TEST(CoreAvailability, OverlappingPlansOfOneAgentGiveNoDuplicates) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(12), day(2025, 1, 1)));
    in.plans.push_back(plan(7, 1, mon, hm(11), hm(13), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 8u);  // 09:00 ... 12:30
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(slots[i].start, utc(2025, 6, 2, 7, 30 * i));
        EXPECT_EQ(slots[i].agents, std::vector<Id>{7});
    }
}

TEST(CoreAvailability, ShiftedGridsOfOverlappingPlansBothCount) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(7, 1, mon, hm(9, 15), hm(10, 15), day(2025, 1, 1)));
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 2, 7, 0), utc(2025, 6, 2, 7, 15),
                                    utc(2025, 6, 2, 7, 30), utc(2025, 6, 2, 7, 45)}));
}

TEST(CoreAvailability, PartialOneOffAbsence) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(12), day(2025, 1, 1)));
    in.plans.push_back(plan(8, 1, mon, hm(9), hm(12), day(2025, 1, 1)));
    in.absences.push_back({7, {utc(2025, 6, 2, 8), utc(2025, 6, 2, 9)}});  // 10:00-11:00
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 6u);
    for (const auto& s : slots) {
        const bool absent = s.start == utc(2025, 6, 2, 8) || s.start == utc(2025, 6, 2, 8, 30);
        EXPECT_EQ(s.agents, absent ? std::vector<Id>{8} : (std::vector<Id>{7, 8}));
    }
}

TEST(CoreAvailability, LongAbsenceCoversSeveralDays) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 6));
    in.plans.push_back(plan(7, 1, weekdays, hm(9), hm(10), day(2025, 1, 1)));
    in.absences.push_back({7, {utc(2025, 6, 2, 0), utc(2025, 6, 4, 22)}});  // to Thu 00:00
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 5, 7), utc(2025, 6, 5, 7, 30), utc(2025, 6, 6, 7),
                                    utc(2025, 6, 6, 7, 30)}));
}

TEST(CoreAvailability, RecurringAbsence) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 10));
    in.plans.push_back(plan(7, 1, mon | tue, hm(11), hm(14), day(2025, 1, 1)));
    WeeklyRule lunch;
    lunch.weekdays = mon;
    lunch.start_minute = hm(12);
    lunch.end_minute = hm(13);
    lunch.valid_from = day(2025, 1, 1);
    in.recurring_absences.push_back({7, lunch});
    in.recurring_absences.push_back({9, lunch});  // another agent: no effect
    const auto slots = compute_slots(in);
    std::vector<Instant> expected;
    for (unsigned d : {2u, 3u, 9u, 10u}) {
        const bool monday = d == 2 || d == 9;
        for (int m = hm(11); m + 30 <= hm(14); m += 30) {
            if (monday && m >= hm(12) && m < hm(13)) continue;
            expected.push_back(utc(2025, 6, d, 9) + (m - hm(11)) * 60);
        }
    }
    EXPECT_EQ(starts(slots), expected);
}

TEST(CoreAvailability, RecurringAbsenceFollowsEachSiteZone) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.sites.push_back({2, zone("America/Cayenne"), {}});
    in.plans.push_back(plan(7, 1, mon, hm(11), hm(13), day(2025, 1, 1)));
    in.plans.push_back(plan(7, 2, mon, hm(11), hm(13), day(2025, 1, 1)));
    WeeklyRule noon;
    noon.weekdays = mon;
    noon.start_minute = hm(12);
    noon.end_minute = hm(13);
    noon.valid_from = day(2025, 1, 1);
    in.recurring_absences.push_back({7, noon});
    const auto slots = compute_slots(in);
    EXPECT_EQ(starts(slots), (std::vector<Instant>{utc(2025, 6, 2, 9), utc(2025, 6, 2, 9, 30),
                                                   utc(2025, 6, 2, 14), utc(2025, 6, 2, 14, 30)}));
    EXPECT_EQ(slots[0].site_id, 1);
    EXPECT_EQ(slots[2].site_id, 2);
}

TEST(CoreAvailability, RecurringAbsenceOnSpringForwardDay) {
    auto in = input(day(2025, 3, 30), day(2025, 3, 30));
    in.plans.push_back(plan(7, 1, sun, hm(1), hm(4), day(2025, 1, 1)));
    WeeklyRule night;
    night.weekdays = sun;
    night.start_minute = hm(1);
    night.end_minute = hm(2, 30);  // ends inside the gap: at the transition
    night.valid_from = day(2025, 1, 1);
    in.recurring_absences.push_back({7, night});
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 3, 30, 1), utc(2025, 3, 30, 1, 30)}));
}

TEST(CoreAvailability, AppointmentStraddlingSlotBoundaries) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(11), day(2025, 1, 1)));
    in.busy.push_back({7, {utc(2025, 6, 2, 7, 15), utc(2025, 6, 2, 7, 45)}});  // 09:15-09:45
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 2, 8), utc(2025, 6, 2, 8, 30)}));
}

TEST(CoreAvailability, BusyIntervalsAreHalfOpen) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(11), day(2025, 1, 1)));
    in.busy.push_back({7, {utc(2025, 6, 2, 7, 30), utc(2025, 6, 2, 8)}});  // 09:30-10:00
    EXPECT_EQ(
        starts(compute_slots(in)),
        (std::vector<Instant>{utc(2025, 6, 2, 7), utc(2025, 6, 2, 8), utc(2025, 6, 2, 8, 30)}));
}

TEST(CoreAvailability, NestedBusyIntervalsStillBlock) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(13), day(2025, 1, 1)));
    in.busy.push_back({7, {utc(2025, 6, 2, 6), utc(2025, 6, 2, 10)}});     // 08:00-12:00
    in.busy.push_back({7, {utc(2025, 6, 2, 7), utc(2025, 6, 2, 7, 15)}});  // inside it
    in.busy.push_back({8, {utc(2025, 6, 2, 10), utc(2025, 6, 2, 11)}});    // other agent
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 2, 10), utc(2025, 6, 2, 10, 30)}));
}

TEST(CoreAvailability, BufferSpacesTheGridAndGuardsBothSides) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.motif.buffer_minutes = 10;  // grid every 40 min: 9:00 9:40 10:20 11:00 11:40 12:20
    in.plans.push_back(plan(7, 1, mon, hm(9), hm(13), day(2025, 1, 1)));
    in.busy.push_back({7, {utc(2025, 6, 2, 8, 30), utc(2025, 6, 2, 9)}});  // 10:30-11:00
    // 10:20 overlaps; 11:00 starts within the 10 min kept after the appointment.
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 2, 7), utc(2025, 6, 2, 7, 40),
                                    utc(2025, 6, 2, 9, 40), utc(2025, 6, 2, 10, 20)}));
    // Buffer before the appointment: 09:40-10:10 is fine until it sits 10 min before.
    in.busy[0].span = {utc(2025, 6, 2, 8, 15), utc(2025, 6, 2, 8, 20)};  // 10:15-10:20
    const auto slots = starts(compute_slots(in));
    EXPECT_EQ(std::count(slots.begin(), slots.end(), utc(2025, 6, 2, 7, 40)), 0);  // 9:40-10:10
    EXPECT_EQ(std::count(slots.begin(), slots.end(), utc(2025, 6, 2, 8, 20)), 0);  // 10:20
    EXPECT_EQ(std::count(slots.begin(), slots.end(), utc(2025, 6, 2, 9)), 1);      // 11:00
}

TEST(CoreAvailability, LeadTimeAcrossMidnight) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 4));
    in.motif.min_lead_minutes = 12 * 60;
    in.now = local("Europe/Paris", 2025, 6, 2, 23, 30);  // earliest: Tuesday 11:30
    in.plans.push_back(plan(7, 1, weekdays, hm(9), hm(12), day(2025, 1, 1)));
    const auto slots = starts(compute_slots(in));
    ASSERT_EQ(slots.size(), 7u);
    EXPECT_EQ(slots[0], utc(2025, 6, 3, 9, 30));
    EXPECT_EQ(slots[1], utc(2025, 6, 4, 7));
}

TEST(CoreAvailability, Horizon) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 6));
    in.motif.horizon_days = 2;
    in.now = local("Europe/Paris", 2025, 6, 2, 10);  // latest start: Wednesday 10:00
    in.plans.push_back(plan(7, 1, weekdays, hm(9), hm(12), day(2025, 1, 1)));
    const auto slots = starts(compute_slots(in));
    ASSERT_EQ(slots.size(), 4u + 6u + 3u);
    EXPECT_EQ(slots.front(), utc(2025, 6, 2, 8));
    EXPECT_EQ(slots.back(), utc(2025, 6, 4, 8));
}

TEST(CoreAvailability, LeadWindowKeepsLocalEveningWestOfUtc) {
    // Cayenne 22:00 on Monday is already Tuesday 01:00 UTC.
    auto in = input(day(2025, 6, 1), day(2025, 6, 10), "America/Cayenne");
    in.now = utc(2025, 6, 3, 0, 30);
    in.motif.horizon_days = 1;
    in.plans.push_back(plan(7, 1, mon, hm(22), hm(23), day(2025, 1, 1)));
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 3, 1), utc(2025, 6, 3, 1, 30)}));
}

TEST(CoreAvailability, HorizonKeepsLocalMorningEastOfUtc) {
    // Kiritimati is UTC+14: local Wednesday 01:00 is Tuesday 11:00 UTC.
    auto in = input(day(2025, 6, 1), day(2025, 6, 10), "Pacific/Kiritimati");
    in.now = utc(2025, 6, 2, 12);
    in.motif.horizon_days = 1;
    in.plans.push_back(plan(7, 1, every_day, hm(1), hm(1, 30), day(2025, 1, 1)));
    EXPECT_EQ(starts(compute_slots(in)), std::vector<Instant>{utc(2025, 6, 3, 11)});
}

TEST(CoreAvailability, HugeRangeIsBoundedByTheHorizon) {
    auto in = input(0, day(2200, 1, 1));
    in.motif.horizon_days = 7;
    in.now = utc(2025, 6, 1, 12);
    in.plans.push_back(plan(7, 1, weekdays, hm(9), hm(10), day(1970, 1, 1)));
    EXPECT_EQ(compute_slots(in).size(), 10u);
}

TEST(CoreAvailability, YearEndWithNewYearHoliday) {
    auto in = input(day(2025, 12, 30), day(2026, 1, 2));
    for (const auto& h : holidays_between(HolidayRegion::fr_metropole, in.from, in.to))
        in.sites[0].holidays.insert(h.day);
    ASSERT_EQ(in.sites[0].holidays.size(), 1u);
    in.plans.push_back(plan(7, 1, weekdays, hm(9), hm(9, 30), day(2025, 1, 1)));
    EXPECT_EQ(
        starts(compute_slots(in)),
        (std::vector<Instant>{utc(2025, 12, 30, 8), utc(2025, 12, 31, 8), utc(2026, 1, 2, 8)}));
}

TEST(CoreAvailability, LeapDay2028) {
    auto in = input(day(2028, 2, 26), day(2028, 3, 6));
    in.plans.push_back(plan(7, 1, tue, hm(9), hm(9, 30), day(2028, 1, 1)));
    EXPECT_EQ(starts(compute_slots(in)), (std::vector<Instant>{utc(2028, 2, 29, 8)}));
}

TEST(CoreAvailability, HalfAndQuarterHourZones) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2), "Asia/Kolkata");  // +05:30
    in.sites.push_back({2, zone("Asia/Kathmandu"), {}});                // +05:45
    in.plans.push_back(plan(1, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(2, 2, mon, hm(9), hm(10), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 4u);
    EXPECT_EQ(slots[0].start, utc(2025, 6, 2, 3, 15));  // Kathmandu 09:00
    EXPECT_EQ(slots[0].site_id, 2);
    EXPECT_EQ(slots[1].start, utc(2025, 6, 2, 3, 30));  // Kolkata 09:00
    EXPECT_EQ(slots[1].site_id, 1);
    EXPECT_EQ(slots[2].start, utc(2025, 6, 2, 3, 45));  // Kathmandu 09:30
    EXPECT_EQ(slots[3].start, utc(2025, 6, 2, 4, 0));   // Kolkata 09:30
}

TEST(CoreAvailability, AdelaideWinterSummerAndDaylightSavingStart) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2), "Australia/Adelaide");
    in.plans.push_back(plan(1, 1, every_day, hm(9), hm(9, 30), day(2025, 1, 1)));
    EXPECT_EQ(starts(compute_slots(in)), std::vector<Instant>{utc(2025, 6, 1, 23, 30)});  // +09:30
    in.from = in.to = day(2026, 1, 12);
    EXPECT_EQ(starts(compute_slots(in)), std::vector<Instant>{utc(2026, 1, 11, 22, 30)});  // +10:30
    // Sunday 5 October 2025: 02:00 ACST becomes 03:00 ACDT.
    in.from = in.to = day(2025, 10, 5);
    in.plans[0].rule.start_minute = hm(1, 30);
    in.plans[0].rule.end_minute = hm(3, 30);
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 10, 4, 16, 0), utc(2025, 10, 4, 16, 30)}));
}

TEST(CoreAvailability, OverseasZonesWithTheirHolidays) {
    auto in = input(day(2025, 6, 9), day(2025, 6, 11), "America/Cayenne");  // -03:00
    in.sites.push_back({2, zone("Indian/Reunion"), {}});                    // +04:00
    for (const auto& h : holidays_between(HolidayRegion::fr_guyane, in.from, in.to))
        in.sites[0].holidays.insert(h.day);
    for (const auto& h : holidays_between(HolidayRegion::fr_reunion, in.from, in.to))
        in.sites[1].holidays.insert(h.day);
    in.plans.push_back(plan(1, 1, weekdays, hm(9), hm(9, 30), day(2025, 1, 1)));
    in.plans.push_back(plan(2, 2, weekdays, hm(9), hm(9, 30), day(2025, 1, 1)));
    const auto slots = compute_slots(in);
    // Whit Monday (9 June) for both; 10 June is Guyane's abolition day.
    const std::vector<Instant> expected = {utc(2025, 6, 10, 5), utc(2025, 6, 11, 5),
                                           utc(2025, 6, 11, 12)};
    EXPECT_EQ(starts(slots), expected);
    ASSERT_EQ(slots.size(), 3u);
    EXPECT_EQ(slots[2].site_id, 1);
}

TEST(CoreAvailability, SeveralSitesAndAgentsMerged) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.sites.push_back({2, zone("Europe/Paris"), {}});
    in.plans.push_back(plan(3, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(1, 1, mon, hm(9, 30), hm(10, 30), day(2025, 1, 1)));
    in.plans.push_back(plan(2, 2, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(3, 2, mon, hm(9), hm(9, 30), day(2025, 1, 1)));  // both sites
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 5u);
    EXPECT_EQ(slots[0].start, utc(2025, 6, 2, 7));
    EXPECT_EQ(slots[0].site_id, 1);
    EXPECT_EQ(slots[0].agents, std::vector<Id>{3});
    EXPECT_EQ(slots[1].site_id, 2);
    EXPECT_EQ(slots[1].agents, (std::vector<Id>{2, 3}));
    EXPECT_EQ(slots[2].start, utc(2025, 6, 2, 7, 30));
    EXPECT_EQ(slots[2].agents, (std::vector<Id>{1, 3}));
    EXPECT_EQ(slots[3].agents, std::vector<Id>{2});
    EXPECT_EQ(slots[4].start, utc(2025, 6, 2, 8));
    EXPECT_EQ(slots[4].agents, std::vector<Id>{1});
    expect_well_formed(slots, 30);
}

TEST(CoreAvailability, AgentRestriction) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(3, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(4, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.agent = 4;
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 2u);
    for (const auto& s : slots) EXPECT_EQ(s.agents, std::vector<Id>{4});
    in.agent = 99;
    EXPECT_TRUE(compute_slots(in).empty());
}

TEST(CoreAvailability, SiteRestriction) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.sites.push_back({2, zone("Europe/Brussels"), {}});
    in.plans.push_back(plan(3, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.plans.push_back(plan(3, 2, mon, hm(14), hm(15), day(2025, 1, 1)));
    in.site = 2;
    const auto slots = compute_slots(in);
    ASSERT_EQ(slots.size(), 2u);
    for (const auto& s : slots) EXPECT_EQ(s.site_id, 2);
    EXPECT_EQ(slots[0].start, utc(2025, 6, 2, 12));
}

TEST(CoreAvailability, ChannelAndMotifFilters) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 2));
    in.plans.push_back(plan(3, 1, mon, hm(9), hm(10), day(2025, 1, 1)));
    in.motif.channels = channel_bit(Channel::on_site);
    in.channel = Channel::video;
    EXPECT_TRUE(compute_slots(in).empty());  // motif not offered by video

    in.motif.channels = all_channels;
    in.plans[0].channels = channel_bit(Channel::phone);
    EXPECT_TRUE(compute_slots(in).empty());  // plan not open for video
    in.channel = Channel::phone;
    EXPECT_EQ(compute_slots(in).size(), 2u);

    in.plans[0].motif_ids = {1, 2};
    EXPECT_TRUE(compute_slots(in).empty());  // plan reserved for other motifs
    in.plans[0].motif_ids.push_back(in.motif.id);
    EXPECT_EQ(compute_slots(in).size(), 2u);
}

TEST(CoreAvailability, SiteHolidayAndUnknownSite) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 3));
    in.sites[0].holidays.insert(day(2025, 6, 2));
    in.plans.push_back(plan(3, 1, mon | tue, hm(9), hm(9, 30), day(2025, 1, 1)));
    in.plans.push_back(plan(4, 42, mon | tue, hm(9), hm(9, 30), day(2025, 1, 1)));  // no site
    EXPECT_EQ(starts(compute_slots(in)), std::vector<Instant>{utc(2025, 6, 3, 7)});
}

TEST(CoreAvailability, ExtremeMotifValuesStayDefined) {
    auto in = input(day(2025, 6, 2), day(2025, 6, 3));
    in.plans.push_back(plan(3, 1, mon | tue, hm(9), hm(10), day(2025, 1, 1)));
    in.motif.buffer_minutes = std::numeric_limits<int>::max();  // one slot per plan and day
    EXPECT_EQ(starts(compute_slots(in)),
              (std::vector<Instant>{utc(2025, 6, 2, 7), utc(2025, 6, 3, 7)}));
    in.motif.buffer_minutes = 0;
    in.motif.duration_minutes = std::numeric_limits<int>::max();
    EXPECT_TRUE(compute_slots(in).empty());
    in.motif.duration_minutes = 30;
    in.motif.horizon_days = -1;
    EXPECT_TRUE(compute_slots(in).empty());
    in.motif.horizon_days = std::numeric_limits<int>::max();
    in.to = std::numeric_limits<LocalDay>::max();
    in.plans[0].rule.valid_until = day(2025, 6, 3);
    EXPECT_EQ(compute_slots(in).size(), 4u);
}

TEST(CoreAvailability, DegenerateInputsGiveNoSlot) {
    auto in = input(day(2025, 6, 3), day(2025, 6, 2));  // from after to
    in.plans.push_back(plan(3, 1, every_day, hm(9), hm(10), day(2025, 1, 1)));
    EXPECT_TRUE(compute_slots(in).empty());
    in.to = day(2025, 6, 3);
    in.motif.duration_minutes = 0;
    EXPECT_TRUE(compute_slots(in).empty());
    in.motif.duration_minutes = 90;  // longer than the plan
    EXPECT_TRUE(compute_slots(in).empty());
}

// Straightforward reference: one tz lookup per local time, linear scans everywhere.
std::vector<Slot> reference_slots(const AvailabilityInput& in) {
    const Motif& mo = in.motif;
    if ((mo.channels & channel_bit(in.channel)) == 0) return {};
    auto to_instant = [](const date::time_zone* z, LocalDay d, int minute,
                         bool bound) -> std::optional<Instant> {
        const date::local_seconds lt{std::chrono::seconds{Instant(d) * 86400 + minute * 60}};
        const auto li = z->get_info(lt);
        if (li.result == date::local_info::nonexistent) {
            if (!bound) return std::nullopt;
            return li.first.end.time_since_epoch().count();
        }
        return lt.time_since_epoch().count() - li.first.offset.count();
    };
    std::map<std::pair<Instant, Id>, std::set<Id>> found;
    const Instant dur = Instant(mo.duration_minutes) * 60, buf = Instant(mo.buffer_minutes) * 60;
    for (const auto& site : in.sites) {
        if (in.site && site.site_id != *in.site) continue;
        for (LocalDay d = in.from; d <= in.to; ++d) {
            if (site.holidays.count(d)) continue;
            for (const auto& p : in.plans) {
                if (p.site_id != site.site_id || !p.rule.applies_on(d)) continue;
                if (in.agent && p.agent_id != *in.agent) continue;
                if ((p.channels & channel_bit(in.channel)) == 0) continue;
                if (!p.motif_ids.empty() &&
                    std::find(p.motif_ids.begin(), p.motif_ids.end(), mo.id) == p.motif_ids.end())
                    continue;
                const Instant plan_end = *to_instant(site.zone, d, p.rule.end_minute, true);
                for (int m = p.rule.start_minute; m + mo.duration_minutes <= p.rule.end_minute;
                     m += mo.duration_minutes + mo.buffer_minutes) {
                    const auto start = to_instant(site.zone, d, m, false);
                    if (!start) continue;
                    const Interval slot{*start, *start + dur};
                    if (slot.end > plan_end) continue;
                    if (slot.start < in.now + mo.min_lead_minutes * 60) continue;
                    if (slot.start > in.now + Instant(mo.horizon_days) * 86400) continue;
                    bool free = true;
                    for (const auto& a : in.absences)
                        if (a.agent_id == p.agent_id && a.span.overlaps(slot)) free = false;
                    for (const auto& b : in.busy)
                        if (b.agent_id == p.agent_id && slot.start < b.span.end + buf &&
                            b.span.start < slot.end + buf)
                            free = false;
                    for (const auto& r : in.recurring_absences) {
                        if (r.agent_id != p.agent_id || !r.rule.applies_on(d)) continue;
                        const Interval span{*to_instant(site.zone, d, r.rule.start_minute, true),
                                            *to_instant(site.zone, d, r.rule.end_minute, true)};
                        if (span.overlaps(slot)) free = false;
                    }
                    if (free) found[{slot.start, site.site_id}].insert(p.agent_id);
                }
            }
        }
    }
    std::vector<Slot> out;
    for (const auto& [key, agents] : found)
        out.push_back({key.first, key.first + dur, key.second, {agents.begin(), agents.end()}});
    return out;
}

bool same_slots(const std::vector<Slot>& a, const std::vector<Slot>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].site_id != b[i].site_id ||
            a[i].agents != b[i].agents)
            return false;
    }
    return true;
}

// Random data around DST changes (Paris 30 March, Adelaide 6 April 2025), compared with
// the reference.
TEST(CoreAvailability, MatchesReferenceOnRandomData) {
    std::mt19937 rng(20250330);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const char* zones[] = {"Europe/Paris", "Australia/Adelaide", "Asia/Kathmandu",
                           "America/Cayenne"};
    std::size_t total = 0;
    for (int round = 0; round < 200; ++round) {
        AvailabilityInput in = input(day(2025, 3, 26), day(2025, 4, 9));
        in.sites.clear();
        for (Id s = 1; s <= 4; ++s) in.sites.push_back({s, zone(zones[s - 1]), {}});
        in.sites[0].holidays.insert(day(2025, pick(3, 4) == 3 ? 3 : 4, unsigned(pick(1, 28))));
        in.motif.duration_minutes = 15 * pick(1, 6);
        in.motif.buffer_minutes = 5 * pick(0, 3);
        in.motif.min_lead_minutes = 60 * pick(0, 48);
        in.motif.horizon_days = pick(1, 20);
        in.now = utc(2025, 3, 25, 0) + Instant(pick(0, 8 * 24)) * 3600;
        if (pick(0, 4) == 0) in.agent = pick(1, 6);
        if (pick(0, 4) == 0) in.site = pick(1, 4);
        in.channel = Channel(pick(0, 2));
        for (int i = 0; i < 14; ++i) {
            const int start = 15 * pick(0, 80);
            OpeningPlan p = plan(pick(1, 6), pick(1, 4), std::uint8_t(pick(1, 127)), start,
                                 std::min(1440, start + 15 * pick(2, 40)),
                                 day(2025, 3, unsigned(pick(20, 31))));
            if (pick(0, 3) == 0) p.rule.valid_until = day(2025, 4, unsigned(pick(1, 9)));
            p.rule.every_n_weeks = pick(0, 2);
            if (pick(0, 3) == 0) p.channels = std::uint8_t(pick(1, 7));
            if (pick(0, 3) == 0) p.motif_ids = {Id(pick(4, 6))};
            in.plans.push_back(p);
        }
        for (int i = 0; i < 60; ++i) {
            const Instant s = utc(2025, 3, 25, 0) + Instant(pick(0, 16 * 96)) * 900;
            in.busy.push_back({pick(1, 6), {s, s + 60 * pick(5, 120)}});
        }
        for (int i = 0; i < 4; ++i) {
            const Instant s = utc(2025, 3, 25, 0) + Instant(pick(0, 16 * 24)) * 3600;
            in.absences.push_back({pick(1, 6), {s, s + 3600 * pick(1, 30)}});
        }
        for (int i = 0; i < 3; ++i) {
            WeeklyRule r;
            r.weekdays = std::uint8_t(pick(1, 127));
            r.start_minute = 30 * pick(0, 46);
            r.end_minute = std::min(1440, r.start_minute + 30 * pick(1, 8));
            r.valid_from = day(2025, 3, 1);
            in.recurring_absences.push_back({pick(1, 6), r});
        }
        const auto expected = reference_slots(in);
        const auto actual = compute_slots(in);
        ASSERT_TRUE(same_slots(actual, expected))
            << "round " << round << ": " << actual.size() << " vs " << expected.size();
        total += expected.size();
    }
    EXPECT_GT(total, 2000u);  // the data really produces slots
}

}  // namespace
}  // namespace vg::core
