#include "stats/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/timefmt.hpp"

namespace vg::stats {

using store::AppointmentStatus;

Period previous(const Period& p) {
    return {p.first - p.days(), p.first - 1};
}

std::pair<Instant, Instant> covering_instants(const Period& p) {
    constexpr Instant margin = 15 * 3600;
    return {Instant(p.first) * 86400 - margin, Instant(p.last + 1) * 86400 + margin};
}

const date::time_zone* Zones::of_site(Id site) const {
    auto it = sites.find(site);
    return it != sites.end() ? it->second : organisation;
}

Zones Zones::of(const store::Organisation& org, const std::vector<store::Site>& sites) {
    Zones z;
    z.organisation = core::zone_or_default(org.default_time_zone);
    for (auto& s : sites) z.sites[s.id] = core::zone_or_default(s.time_zone);
    return z;
}

bool passes(const Filter& f, const store::StatsAppointment& a) {
    if (f.site && a.site_id != *f.site) return false;
    if (f.motif && a.motif_id != *f.motif) return false;
    if (f.agent && a.agent_id != *f.agent) return false;
    if (f.channel && a.channel != *f.channel) return false;
    if (f.origin && a.origin != *f.origin) return false;
    if (f.language && a.language != *f.language) return false;
    if (f.agents && !std::binary_search(f.agents->begin(), f.agents->end(), a.agent_id))
        return false;
    return true;
}

namespace {

bool in(const Period& p, LocalDay d) {
    return d >= p.first && d <= p.last;
}

double days_of(Instant seconds) {
    return double(seconds) / 86400.0;
}

}  // namespace

bool booked_in(const Period& p, const store::StatsAppointment& a, const Zones& z) {
    return in(p, core::local_day_of(a.created_at, z.of_site(a.site_id)));
}

bool scheduled_in(const Period& p, const store::StatsAppointment& a, const Zones& z) {
    return in(p, core::local_day_of(a.starts_at, z.of_site(a.site_id)));
}

std::optional<Instant> percentile(std::vector<Instant> values, double q) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    auto rank = size_t(std::ceil(q * double(values.size()) - 1e-9));
    rank = std::clamp<size_t>(rank, 1, values.size());
    return values[rank - 1];
}

std::optional<double> Figures::no_show_rate() const {
    if (held + no_shows == 0) return std::nullopt;
    return double(no_shows) / double(held + no_shows);
}

std::optional<double> Figures::confirmed_share() const {
    if (scheduled == 0) return std::nullopt;
    return double(confirmed) / double(scheduled);
}

Figures compute(const std::vector<store::StatsAppointment>& rows, const Filter& f,
                const Zones& zones) {
    Figures r;
    std::vector<Instant> delays;
    std::map<Id, std::map<LocalDay, int>> per_agent_day;
    int rating_sum = 0;
    for (auto& a : rows) {
        if (!passes(f, a)) continue;
        auto zone = zones.of_site(a.site_id);
        if (booked_in(f.period, a, zones)) {
            ++r.bookings;
            ++r.by_origin[a.origin];
            ++r.by_channel[std::string(core::to_string(a.channel))];
            ++r.by_motif[a.motif_id];
            ++r.by_site[a.site_id];
            ++r.by_language[a.language];
            auto parts = core::local_parts(a.starts_at, zone);
            ++r.by_hour[size_t(parts.hour)];
            ++r.by_weekday[size_t(parts.weekday - 1)];
            delays.push_back(std::max<Instant>(0, a.starts_at - a.created_at));
        }
        if (!scheduled_in(f.period, a, zones)) continue;
        ++r.scheduled;
        switch (a.status) {
            case AppointmentStatus::honoured:
                ++r.held;
                break;
            case AppointmentStatus::no_show:
                ++r.no_shows;
                break;
            case AppointmentStatus::cancelled:
                if (a.cancelled_by == "citizen")
                    ++r.cancelled_by_citizen;
                else
                    ++r.cancelled_by_agency;
                ++r.cancel_reasons[a.cancel_reason];
                break;
            case AppointmentStatus::booked:
            case AppointmentStatus::confirmed:
                ++r.upcoming;
                break;
        }
        if (a.moved_to_phone) ++r.moved_to_phone;
        if (a.reschedules > 0) ++r.rescheduled;
        if (a.confirmed) ++r.confirmed;
        if (a.status == AppointmentStatus::honoured && !a.resolved.empty()) {
            ++r.qualified;
            ++r.resolved[a.resolved];
            if (!a.request_type.empty()) ++r.request_types[a.request_type];
            if (!a.theme.empty()) ++r.themes[a.theme];
            if (!a.autonomy.empty()) ++r.autonomy[a.autonomy];
            ++r.request_type_by_resolved[a.request_type][a.resolved];
        }
        if (a.rating && *a.rating >= 1 && *a.rating <= 5) {
            ++r.answers;
            ++r.ratings[size_t(*a.rating - 1)];
            rating_sum += *a.rating;
            if (!a.comment.empty()) r.comments.push_back(a.comment);
        }
        if (a.status != AppointmentStatus::cancelled)
            ++per_agent_day[a.agent_id][core::local_day_of(a.starts_at, zone)];
    }
    if (auto m = percentile(delays, 0.5)) r.median_booking_delay_days = days_of(*m);
    if (auto p = percentile(delays, 0.9)) r.p90_booking_delay_days = days_of(*p);
    if (r.answers > 0) {
        r.average_rating = double(rating_sum) / r.answers;
        r.csat_share = double(r.ratings[3] + r.ratings[4]) / r.answers;
    }
    for (auto& [agent, days] : per_agent_day) {
        auto& l = r.load[agent];
        for (auto& [day, n] : days) {
            l.appointments += n;
            ++l.days;
            l.busiest_day = std::max(l.busiest_day, n);
        }
    }
    return r;
}

std::map<std::string, MonthMessages> messages_by_month(const std::vector<store::StatsMessage>& rows,
                                                       const Period& p,
                                                       const date::time_zone* zone) {
    std::map<std::string, MonthMessages> out;
    for (auto& m : rows) {
        if (!in(p, core::local_day_of(m.created_at, zone))) continue;
        auto parts = core::local_parts(m.created_at, zone);
        char key[16];
        std::snprintf(key, sizeof key, "%04d-%02d", parts.year, parts.month);
        auto& x = out[key];
        if (m.status == "sent") {
            ++x.sent;
            ++(m.channel == "sms" ? x.sms : x.email);
            if (m.channel == "sms") x.sms_segments += m.sms_segments;
        }
        if (m.failed_attempt) ++x.failed;
        if (m.status == "dead") ++x.dead;
    }
    return out;
}

}  // namespace vg::stats
