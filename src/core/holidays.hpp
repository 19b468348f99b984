// Public holidays computed from rules (fixed dates and Easter-based ones), never from
// hard-coded years. Pure computation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace vg::core {

// Holiday calendars. Codes are stored in the database as strings (see to_string).
enum class HolidayRegion : std::uint8_t {
    none,               // no public holiday
    fr_metropole,       // France, métropole
    fr_alsace_moselle,  // métropole + Good Friday + 26 December
    fr_guadeloupe,      // métropole + abolition of slavery 27 May
    fr_martinique,      // 22 May
    fr_guyane,          // 10 June
    fr_reunion,         // 20 December
    fr_mayotte,         // 27 April
    be,                 // Belgium
};
std::optional<HolidayRegion> parse_holiday_region(std::string_view s);
// Every region's code, in the order forms offer them.
std::vector<std::string_view> holiday_region_codes();
std::string_view to_string(HolidayRegion r);

struct Holiday {
    LocalDay day = 0;
    std::string key;  // stable name, e.g. "easter_monday", "bastille_day"
};

// Gregorian Easter Sunday of a year (Meeus/Jones/Butcher), as a local day.
LocalDay easter_sunday(int year);
// Holidays of one calendar year, sorted by day.
std::vector<Holiday> holidays_for_year(HolidayRegion region, int year);
// Holidays whose day lies in [from, to] (inclusive), sorted.
std::vector<Holiday> holidays_between(HolidayRegion region, LocalDay from, LocalDay to);

}  // namespace vg::core
