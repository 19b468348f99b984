#include "core/types.hpp"

namespace vg::core {

namespace {

// Floor division: LocalDay may be negative (days before 1970).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::optional<Channel> parse_channel(std::string_view s) {
    if (s == "video") return Channel::video;
    if (s == "on_site") return Channel::on_site;
    if (s == "phone") return Channel::phone;
    return std::nullopt;
}

std::string_view to_string(Channel c) {
    switch (c) {
        case Channel::video:
            return "video";
        case Channel::on_site:
            return "on_site";
        case Channel::phone:
            return "phone";
    }
    return "";
}

int iso_weekday_index(LocalDay day) {
    // 1970-01-01 was a Thursday, index 3 when Monday is 0.
    return int(day - 7 * floor_div(std::int64_t(day) + 3, 7) + 3);
}

std::int64_t iso_week_number(LocalDay day) {
    return floor_div(std::int64_t(day) + 3, 7);
}

bool WeeklyRule::applies_on(LocalDay day) const {
    if (day < valid_from) return false;
    if (valid_until && day > *valid_until) return false;
    if ((weekdays & (1u << iso_weekday_index(day))) == 0) return false;
    if (every_n_weeks <= 1) return true;
    const std::int64_t weeks = iso_week_number(day) - iso_week_number(valid_from);
    return weeks % every_n_weeks == 0;
}

}  // namespace vg::core
