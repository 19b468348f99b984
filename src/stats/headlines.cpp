#include "stats/headlines.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vg::stats {

std::string decimal(double v, int digits, const std::string& lang) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    std::string s = buf;
    if (lang != "en") std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::string percent(const std::optional<double>& v, const std::string& lang) {
    return v ? decimal(*v * 100, 1, lang) + " %" : "–";
}

std::string change(double now, double before, int digits, const std::string& lang) {
    double d = now - before;
    if (std::fabs(d) < 1e-9) return "=";
    std::string s = (d > 0 ? "+" : "−") + decimal(std::fabs(d), digits, lang);
    if (before > 0)
        s += " (" + std::string(d > 0 ? "+" : "−") + decimal(std::fabs(d) / before * 100, 0, lang) +
             " %)";
    return s;
}

std::vector<Headline> headlines(const Figures& c, const Figures& p, const std::string& lang,
                                const std::string& days_unit) {
    auto opt = [](const std::optional<double>& v) { return v.value_or(0.0); };
    auto count = [&](const char* key, int now, int before) {
        return Headline{key, std::to_string(now), std::to_string(before),
                        change(now, before, 0, lang)};
    };
    auto days = [&](const std::optional<double>& v) {
        return v ? decimal(*v, 1, lang) + " " + days_unit : std::string("–");
    };
    auto rating = [&](const std::optional<double>& v) {
        return v ? decimal(*v, 1, lang) + " / 5" : std::string("–");
    };
    return {
        count("bookings", c.bookings, p.bookings),
        count("held", c.held, p.held),
        count("no_shows", c.no_shows, p.no_shows),
        {"no_show_rate", percent(c.no_show_rate(), lang), percent(p.no_show_rate(), lang),
         change(opt(c.no_show_rate()) * 100, opt(p.no_show_rate()) * 100, 1, lang)},
        count("cancelled", c.cancelled(), p.cancelled()),
        {"median_delay", days(c.median_booking_delay_days), days(p.median_booking_delay_days),
         change(opt(c.median_booking_delay_days), opt(p.median_booking_delay_days), 1, lang)},
        {"satisfaction", rating(c.average_rating), rating(p.average_rating),
         change(opt(c.average_rating), opt(p.average_rating), 1, lang)},
    };
}

}  // namespace vg::stats
