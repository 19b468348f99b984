// Public holidays: Easter computus, each region's calendar, ranges across a year end.
#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/holidays.hpp"

namespace vg::core {
namespace {

LocalDay day(int y, unsigned m, unsigned d) {
    return LocalDay(
        date::local_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count());
}

using Expected = std::vector<std::pair<LocalDay, std::string>>;

Expected as_pairs(const std::vector<Holiday>& holidays) {
    Expected out;
    for (const auto& h : holidays) out.emplace_back(h.day, h.key);
    return out;
}

Expected metropole_2025() {
    return {
        {day(2025, 1, 1), "new_year"},      {day(2025, 4, 21), "easter_monday"},
        {day(2025, 5, 1), "labour_day"},    {day(2025, 5, 8), "victory_1945"},
        {day(2025, 5, 29), "ascension"},    {day(2025, 6, 9), "whit_monday"},
        {day(2025, 7, 14), "bastille_day"}, {day(2025, 8, 15), "assumption"},
        {day(2025, 11, 1), "all_saints"},   {day(2025, 11, 11), "armistice"},
        {day(2025, 12, 25), "christmas"},
    };
}

Expected with(Expected base, LocalDay d, std::string key) {
    base.emplace_back(d, std::move(key));
    std::stable_sort(base.begin(), base.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return base;
}

TEST(CoreHolidays, EasterSundayOfKnownYears) {
    EXPECT_EQ(easter_sunday(2024), day(2024, 3, 31));
    EXPECT_EQ(easter_sunday(2025), day(2025, 4, 20));
    EXPECT_EQ(easter_sunday(2026), day(2026, 4, 5));
    EXPECT_EQ(easter_sunday(2027), day(2027, 3, 28));
    EXPECT_EQ(easter_sunday(2038), day(2038, 4, 25));
    EXPECT_EQ(easter_sunday(2285), day(2285, 3, 22));
    EXPECT_EQ(easter_sunday(2000), day(2000, 4, 23));
    EXPECT_EQ(easter_sunday(2019), day(2019, 4, 21));
    EXPECT_EQ(easter_sunday(1818), day(1818, 3, 22));  // earliest possible date
    EXPECT_EQ(easter_sunday(1943), day(1943, 4, 25));  // latest possible date
}

TEST(CoreHolidays, EasterIsAlwaysASundayBetween22MarchAnd25April) {
    for (int year = 1900; year <= 2300; ++year) {
        const LocalDay e = easter_sunday(year);
        const date::year_month_day ymd{date::local_days{date::days{e}}};
        EXPECT_EQ(date::weekday{date::local_days{date::days{e}}}, date::Sunday) << year;
        EXPECT_GE(e, day(year, 3, 22)) << year;
        EXPECT_LE(e, day(year, 4, 25)) << year;
        EXPECT_EQ(int(ymd.year()), year);
    }
}

TEST(CoreHolidays, FranceMetropole2025) {
    EXPECT_EQ(as_pairs(holidays_for_year(HolidayRegion::fr_metropole, 2025)), metropole_2025());
}

TEST(CoreHolidays, AlsaceMoselleAddsGoodFridayAndStStephen) {
    Expected expected = with(metropole_2025(), day(2025, 4, 18), "good_friday");
    expected = with(expected, day(2025, 12, 26), "st_stephen");
    EXPECT_EQ(as_pairs(holidays_for_year(HolidayRegion::fr_alsace_moselle, 2025)), expected);
}

TEST(CoreHolidays, OverseasDepartmentsAddAbolitionOfSlavery) {
    const std::vector<std::pair<HolidayRegion, LocalDay>> cases = {
        {HolidayRegion::fr_guadeloupe, day(2025, 5, 27)},
        {HolidayRegion::fr_martinique, day(2025, 5, 22)},
        {HolidayRegion::fr_guyane, day(2025, 6, 10)},
        {HolidayRegion::fr_reunion, day(2025, 12, 20)},
        {HolidayRegion::fr_mayotte, day(2025, 4, 27)},
    };
    for (const auto& [region, abolition] : cases) {
        EXPECT_EQ(as_pairs(holidays_for_year(region, 2025)),
                  with(metropole_2025(), abolition, "abolition_of_slavery"))
            << to_string(region);
    }
}

TEST(CoreHolidays, Belgium2026) {
    const Expected expected = {
        {day(2026, 1, 1), "new_year"},     {day(2026, 4, 6), "easter_monday"},
        {day(2026, 5, 1), "labour_day"},   {day(2026, 5, 14), "ascension"},
        {day(2026, 5, 25), "whit_monday"}, {day(2026, 7, 21), "belgian_national_day"},
        {day(2026, 8, 15), "assumption"},  {day(2026, 11, 1), "all_saints"},
        {day(2026, 11, 11), "armistice"},  {day(2026, 12, 25), "christmas"},
    };
    EXPECT_EQ(as_pairs(holidays_for_year(HolidayRegion::be, 2026)), expected);
}

TEST(CoreHolidays, NoneHasNoHoliday) {
    EXPECT_TRUE(holidays_for_year(HolidayRegion::none, 2025).empty());
    EXPECT_TRUE(holidays_between(HolidayRegion::none, day(2025, 1, 1), day(2026, 1, 1)).empty());
}

TEST(CoreHolidays, AscensionOnLabourDayKeepsBoth) {
    // Easter 2008 was 23 March: Ascension fell on 1 May.
    const auto list = holidays_for_year(HolidayRegion::fr_metropole, 2008);
    const auto n = std::count_if(list.begin(), list.end(),
                                 [](const Holiday& h) { return h.day == day(2008, 5, 1); });
    EXPECT_EQ(n, 2);
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end(),
                               [](const auto& a, const auto& b) { return a.day < b.day; }));
}

TEST(CoreHolidays, EveryYearIsComputedFromRules) {
    for (int year : {1990, 2024, 2099, 2400}) {
        const auto fr = holidays_for_year(HolidayRegion::fr_metropole, year);
        ASSERT_EQ(fr.size(), 11u) << year;
        EXPECT_EQ(fr.front().day, day(year, 1, 1));
        EXPECT_EQ(fr.back().day, day(year, 12, 25));
        EXPECT_EQ(holidays_for_year(HolidayRegion::be, year).size(), 10u);
        EXPECT_EQ(holidays_for_year(HolidayRegion::fr_alsace_moselle, year).size(), 13u);
    }
}

TEST(CoreHolidays, BetweenAcrossYearEnd) {
    const Expected reunion = {
        {day(2025, 12, 20), "abolition_of_slavery"},
        {day(2025, 12, 25), "christmas"},
        {day(2026, 1, 1), "new_year"},
    };
    EXPECT_EQ(
        as_pairs(holidays_between(HolidayRegion::fr_reunion, day(2025, 12, 20), day(2026, 1, 10))),
        reunion);
    const Expected alsace = {
        {day(2025, 12, 25), "christmas"},
        {day(2025, 12, 26), "st_stephen"},
        {day(2026, 1, 1), "new_year"},
    };
    EXPECT_EQ(as_pairs(holidays_between(HolidayRegion::fr_alsace_moselle, day(2025, 12, 21),
                                        day(2026, 1, 1))),
              alsace);
}

TEST(CoreHolidays, BetweenBoundsAreInclusive) {
    const auto one =
        holidays_between(HolidayRegion::fr_metropole, day(2025, 7, 14), day(2025, 7, 14));
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].key, "bastille_day");
    EXPECT_TRUE(
        holidays_between(HolidayRegion::fr_metropole, day(2025, 7, 15), day(2025, 8, 14)).empty());
    EXPECT_TRUE(
        holidays_between(HolidayRegion::fr_metropole, day(2025, 8, 1), day(2025, 7, 1)).empty());
    EXPECT_EQ(holidays_between(HolidayRegion::be, day(2024, 1, 1), day(2026, 12, 31)).size(), 30u);
}

TEST(CoreHolidays, RegionNamesRoundTrip) {
    for (auto r :
         {HolidayRegion::none, HolidayRegion::fr_metropole, HolidayRegion::fr_alsace_moselle,
          HolidayRegion::fr_guadeloupe, HolidayRegion::fr_martinique, HolidayRegion::fr_guyane,
          HolidayRegion::fr_reunion, HolidayRegion::fr_mayotte, HolidayRegion::be}) {
        EXPECT_EQ(parse_holiday_region(to_string(r)), r);
    }
    EXPECT_EQ(to_string(HolidayRegion::fr_alsace_moselle), "fr_alsace_moselle");
    EXPECT_EQ(to_string(HolidayRegion::be), "be");
    EXPECT_FALSE(parse_holiday_region("FR").has_value());
    EXPECT_FALSE(parse_holiday_region("").has_value());
    EXPECT_FALSE(parse_holiday_region("fr-metropole").has_value());
}

}  // namespace
}  // namespace vg::core
