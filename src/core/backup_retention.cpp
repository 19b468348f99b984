#include "core/backup_retention.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>

#include "core/timefmt.hpp"

namespace vg::core {

namespace {

Instant floor_div(Instant a, Instant b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

Instant day_of(Instant t) {
    return floor_div(t, 86400);
}

// 1970-01-01 was a Thursday: day + 3 counts from the Monday before it.
Instant week_of(Instant t) {
    return floor_div(day_of(t) + 3, 7);
}

constexpr const char* kPrefix = "visioguichet-";
constexpr const char* kSuffix = ".db.gz";

}  // namespace

std::vector<bool> backups_to_keep(const std::vector<Instant>& taken, BackupRetention policy) {
    std::vector<bool> keep(taken.size(), !policy.prunes());
    if (taken.empty() || !policy.prunes()) return keep;
    std::vector<std::size_t> newest_first(taken.size());
    std::iota(newest_first.begin(), newest_first.end(), 0);
    std::stable_sort(newest_first.begin(), newest_first.end(),
                     [&](std::size_t a, std::size_t b) { return taken[a] > taken[b]; });
    keep[newest_first.front()] = true;
    // Walking newest first, the first backup met in a period is that period's newest.
    auto keep_newest_per = [&](int periods, Instant (*period_of)(Instant)) {
        std::set<Instant> seen;
        for (auto i : newest_first) {
            auto p = period_of(taken[i]);
            if (seen.count(p)) continue;
            if (int(seen.size()) == periods) break;
            seen.insert(p);
            keep[i] = true;
        }
    };
    keep_newest_per(policy.daily, day_of);
    keep_newest_per(policy.weekly, week_of);
    return keep;
}

std::string backup_file_name(Instant t) {
    return kPrefix + date::format("%Y%m%dT%H%M%SZ", date::sys_seconds{std::chrono::seconds{t}}) +
           kSuffix;
}

std::optional<Instant> parse_backup_file_name(const std::string& name) {
    std::string prefix = kPrefix, suffix = kSuffix;
    // visioguichet- YYYYMMDD T HHMMSS Z .db.gz
    if (name.size() != prefix.size() + 16 + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix))
        return std::nullopt;
    auto s = name.substr(prefix.size(), 16);
    for (std::size_t i = 0; i < 16; ++i) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 8 && s[i] != 'T') || (i == 15 && s[i] != 'Z') || (i != 8 && i != 15 && !digit))
            return std::nullopt;
    }
    return parse_iso8601(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" +
                         s.substr(9, 2) + ":" + s.substr(11, 2) + ":" + s.substr(13, 2) + "Z");
}

}  // namespace vg::core
