// The headline figures of the statistics (issue 14): what the console page shows first and
// the monthly digest sends, each with its value, the previous period's and the change,
// written for one language (decimal comma but in English). One list, so that page and
// digest show the same figures the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stats/figures.hpp"

namespace vg::stats {

struct Headline {
    std::string key;  // bookings, held, no_shows, no_show_rate, cancelled, median_delay,
                      // satisfaction (labels: stats.figure.<key>)
    std::string value;
    std::string previous;
    std::string change;  // "+3 (+25 %)", "−2", "="
};

// "1,5" ("1.5" in English).
std::string decimal(double v, int digits, const std::string& lang);
// "12,5 %", "–" when none.
std::string percent(const std::optional<double>& v, const std::string& lang);
// The change from before to now: "+3 (+25 %)" / "−2" / "=".
std::string change(double now, double before, int digits, const std::string& lang);
// days_unit: the word after a number of days ("jours").
std::vector<Headline> headlines(const Figures& now, const Figures& before, const std::string& lang,
                                const std::string& days_unit);

}  // namespace vg::stats
