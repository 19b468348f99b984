#include "core/holidays.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <utility>

namespace vg::core {

namespace {

LocalDay civil_day(int year, unsigned month, unsigned day) {
    const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
    return LocalDay(date::local_days{ymd}.time_since_epoch().count());
}

int year_of(LocalDay day) {
    const date::year_month_day ymd{date::local_days{date::days{day}}};
    return int(ymd.year());
}

struct RegionName {
    HolidayRegion region;
    std::string_view name;
};

constexpr std::array<RegionName, 9> region_names{{
    {HolidayRegion::none, "none"},
    {HolidayRegion::fr_metropole, "fr_metropole"},
    {HolidayRegion::fr_alsace_moselle, "fr_alsace_moselle"},
    {HolidayRegion::fr_guadeloupe, "fr_guadeloupe"},
    {HolidayRegion::fr_martinique, "fr_martinique"},
    {HolidayRegion::fr_guyane, "fr_guyane"},
    {HolidayRegion::fr_reunion, "fr_reunion"},
    {HolidayRegion::fr_mayotte, "fr_mayotte"},
    {HolidayRegion::be, "be"},
}};

}  // namespace

std::vector<std::string_view> holiday_region_codes() {
    std::vector<std::string_view> out;
    for (auto& r : region_names) out.push_back(r.name);
    return out;
}

namespace {

bool is_french(HolidayRegion r) {
    return r != HolidayRegion::none && r != HolidayRegion::be;
}

// Month and day of the abolition of slavery in overseas departments (0 when not one).
std::pair<unsigned, unsigned> abolition_of_slavery(HolidayRegion r) {
    switch (r) {
        case HolidayRegion::fr_guadeloupe:
            return {5, 27};
        case HolidayRegion::fr_martinique:
            return {5, 22};
        case HolidayRegion::fr_guyane:
            return {6, 10};
        case HolidayRegion::fr_reunion:
            return {12, 20};
        case HolidayRegion::fr_mayotte:
            return {4, 27};
        default:
            return {0, 0};
    }
}

void add_french(std::vector<Holiday>& out, HolidayRegion region, int year) {
    const LocalDay easter = easter_sunday(year);
    out.push_back({civil_day(year, 1, 1), "new_year"});
    out.push_back({easter + 1, "easter_monday"});
    out.push_back({civil_day(year, 5, 1), "labour_day"});
    out.push_back({civil_day(year, 5, 8), "victory_1945"});
    out.push_back({easter + 39, "ascension"});
    out.push_back({easter + 50, "whit_monday"});
    out.push_back({civil_day(year, 7, 14), "bastille_day"});
    out.push_back({civil_day(year, 8, 15), "assumption"});
    out.push_back({civil_day(year, 11, 1), "all_saints"});
    out.push_back({civil_day(year, 11, 11), "armistice"});
    out.push_back({civil_day(year, 12, 25), "christmas"});
    if (region == HolidayRegion::fr_alsace_moselle) {
        out.push_back({easter - 2, "good_friday"});
        out.push_back({civil_day(year, 12, 26), "st_stephen"});
    }
    if (const auto [month, day] = abolition_of_slavery(region); month != 0)
        out.push_back({civil_day(year, month, day), "abolition_of_slavery"});
}

void add_belgian(std::vector<Holiday>& out, int year) {
    const LocalDay easter = easter_sunday(year);
    out.push_back({civil_day(year, 1, 1), "new_year"});
    out.push_back({easter + 1, "easter_monday"});
    out.push_back({civil_day(year, 5, 1), "labour_day"});
    out.push_back({easter + 39, "ascension"});
    out.push_back({easter + 50, "whit_monday"});
    out.push_back({civil_day(year, 7, 21), "belgian_national_day"});
    out.push_back({civil_day(year, 8, 15), "assumption"});
    out.push_back({civil_day(year, 11, 1), "all_saints"});
    out.push_back({civil_day(year, 11, 11), "armistice"});
    out.push_back({civil_day(year, 12, 25), "christmas"});
}

}  // namespace

std::optional<HolidayRegion> parse_holiday_region(std::string_view s) {
    for (const auto& rn : region_names)
        if (rn.name == s) return rn.region;
    return std::nullopt;
}

std::string_view to_string(HolidayRegion r) {
    for (const auto& rn : region_names)
        if (rn.region == r) return rn.name;
    return "";
}

LocalDay easter_sunday(int year) {
    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const int a = year % 19;
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return civil_day(year, unsigned(month), unsigned(day));
}

std::vector<Holiday> holidays_for_year(HolidayRegion region, int year) {
    std::vector<Holiday> out;
    if (is_french(region))
        add_french(out, region, year);
    else if (region == HolidayRegion::be)
        add_belgian(out, year);
    // Stable: two holidays on one day (Ascension on 1 May) keep their listed order.
    std::stable_sort(out.begin(), out.end(),
                     [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
    return out;
}

std::vector<Holiday> holidays_between(HolidayRegion region, LocalDay from, LocalDay to) {
    std::vector<Holiday> out;
    if (from > to) return out;
    for (int year = year_of(from), last = year_of(to); year <= last; ++year) {
        for (auto& h : holidays_for_year(region, year))
            if (h.day >= from && h.day <= to) out.push_back(std::move(h));
    }
    return out;
}

}  // namespace vg::core
