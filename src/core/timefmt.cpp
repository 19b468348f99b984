#include "core/timefmt.hpp"

#include <date/tz.h>

#include <cstdio>

namespace vg::core {

namespace {
using Seconds = std::chrono::seconds;

date::sys_seconds to_sys(Instant t) {
    return date::sys_seconds(Seconds(t));
}

bool digits(const std::string& s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}
int num(const std::string& s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}
std::optional<LocalDay> make_day(int y, int m, int d) {
    date::year_month_day ymd{date::year(y), date::month(unsigned(m)), date::day(unsigned(d))};
    if (!ymd.ok()) return std::nullopt;
    return LocalDay(date::local_days(ymd).time_since_epoch().count());
}
}  // namespace

const date::time_zone* zone_or_default(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return date::locate_zone("Europe/Paris");
    }
}

std::string iso8601(Instant t, const date::time_zone* zone) {
    auto info = zone->get_info(to_sys(t));
    auto local = t + info.offset.count();
    auto parts = day_parts(LocalDay((local >= 0 ? local : local - 86399) / 86400));
    long sod = ((local % 86400) + 86400) % 86400;
    long off = info.offset.count();
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    char buf[72];  // the longest the format can give: 67 (gcc checks it under ASan)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02ld:%02ld:%02ld%c%02ld:%02ld", parts.year,
                  parts.month, parts.day, sod / 3600, (sod / 60) % 60, sod % 60, sign, off / 3600,
                  (off / 60) % 60);
    return buf;
}

std::optional<Instant> parse_iso8601(const std::string& s) {
    // YYYY-MM-DDTHH:MM
    if (s.size() < 17 || s.size() > 25) return std::nullopt;
    if (!digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
        (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2))
        return std::nullopt;
    auto day = make_day(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2));
    int h = num(s, 11, 2), mi = num(s, 14, 2), sec = 0;
    if (!day || h > 23 || mi > 59) return std::nullopt;
    std::size_t p = 16;
    if (p < s.size() && s[p] == ':') {
        if (!digits(s, p + 1, 2)) return std::nullopt;
        sec = num(s, p + 1, 2);
        if (sec > 59) return std::nullopt;
        p += 3;
    }
    long offset = 0;
    if (p < s.size() && s[p] == 'Z') {
        ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        if (!digits(s, p + 1, 2) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(s, p + 4, 2))
            return std::nullopt;
        int oh = num(s, p + 1, 2), om = num(s, p + 4, 2);
        if (oh > 14 || om > 59) return std::nullopt;
        offset = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
        p += 6;
    } else {
        return std::nullopt;  // an instant without offset is ambiguous
    }
    if (p != s.size()) return std::nullopt;
    auto t = Instant(*day) * 86400 + h * 3600 + mi * 60 + sec - offset;
    if (t < kEarliestInstant || t > kLatestInstant) return std::nullopt;
    return t;
}

std::optional<LocalDay> parse_ymd(const std::string& s) {
    if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
        !digits(s, 8, 2))
        return std::nullopt;
    return make_day(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2));
}

std::string format_ymd(LocalDay d) {
    auto p = day_parts(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", p.year, p.month, p.day);
    return buf;
}

LocalDay local_day_of(Instant t, const date::time_zone* zone) {
    auto local = zone->to_local(to_sys(t));
    return LocalDay(date::floor<date::days>(local).time_since_epoch().count());
}

Instant start_of_local_day(LocalDay d, const date::time_zone* zone) {
    date::local_seconds midnight{Seconds(Instant(d) * 86400)};
    auto info = zone->get_info(midnight);
    if (info.result == date::local_info::nonexistent)
        return info.first.end.time_since_epoch().count();
    return (midnight - info.first.offset).time_since_epoch().count();
}

void ZoneClock::refresh(Instant t) {
    auto info = zone_->get_info(to_sys(t));
    begin_ = info.begin.time_since_epoch().count();
    end_ = info.end.time_since_epoch().count();
    offset_ = info.offset.count();
}

LocalParts local_parts(Instant t, const date::time_zone* zone) {
    auto local = zone->to_local(to_sys(t));
    auto day = date::floor<date::days>(local);
    auto p = day_parts(LocalDay(day.time_since_epoch().count()));
    auto tod = date::hh_mm_ss<Seconds>(date::floor<Seconds>(local - day));
    p.hour = int(tod.hours().count());
    p.minute = int(tod.minutes().count());
    return p;
}

LocalParts day_parts(LocalDay d) {
    date::local_days ld{date::days(d)};
    date::year_month_day ymd(ld);
    date::weekday wd(ld);
    return {int(ymd.year()),
            int(unsigned(ymd.month())),
            int(unsigned(ymd.day())),
            int(wd.iso_encoding()),
            0,
            0};
}

LocalDay monday_of(LocalDay d) {
    auto p = day_parts(d);
    return d - (p.weekday - 1);
}

}  // namespace vg::core
