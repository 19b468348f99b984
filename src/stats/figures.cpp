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
    auto rank = size_t(std::ceil(q * double(values.size()) - 1e-9));
    rank = std::clamp<size_t>(rank, 1, values.size());
    // The rank-th smallest without sorting the rest (linear on average).
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank - 1), values.end());
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

std::optional<Instant> room_wait(const store::StatsAppointment& a) {
    if (!a.citizen_joined_at || !a.admitted_at || *a.admitted_at < *a.citizen_joined_at)
        return std::nullopt;
    return *a.admitted_at - *a.citizen_joined_at;
}

std::optional<Instant> call_duration(const store::StatsAppointment& a) {
    if (!a.admitted_at || !a.call_ended_at || *a.call_ended_at < *a.admitted_at)
        return std::nullopt;
    return *a.call_ended_at - *a.admitted_at;
}

std::optional<double> VideoFigures::relayed_share() const {
    if (connected == 0) return std::nullopt;
    return double(relayed) / double(connected);
}

namespace {

void count_video(VideoFigures& v, const store::StatsAppointment& a, std::vector<Instant>& waits,
                 std::vector<Instant>& durations) {
    if (!a.room_joined) return;
    ++v.calls;
    if (auto w = room_wait(a)) waits.push_back(*w);
    if (auto d = call_duration(a)) durations.push_back(*d);
    v.connection_failures += a.connection_failures;
    v.failed_calls += a.connection_failures > 0;
    v.ice_restarts += a.ice_restarts;
    v.audio_fallbacks += a.audio_fallback;
    v.phone_fallbacks += a.room_to_phone;
    v.connected += a.connected;
    v.relayed += a.connected && a.relayed;
    auto& b = v.by_browser[a.browser];
    ++b.calls;
    b.connected += a.connected;
    b.relayed += a.connected && a.relayed;
    b.failed += a.connection_failures > 0;
    b.ice_restarts += a.ice_restarts;
    b.audio_fallbacks += a.audio_fallback;
}

}  // namespace

Accumulator::Accumulator(const Filter& f, const Zones& zones) : f_(f), zones_(zones) {
    std::tie(from_, to_) = covering_instants(f.period);
}

Accumulator::SiteClocks& Accumulator::clocks(Id site) {
    if (site == last_site_) return *last_clocks_;
    auto it = clocks_.find(site);
    if (it == clocks_.end()) {
        auto zone = zones_.of_site(site);
        it = clocks_.emplace(site, SiteClocks{core::ZoneClock(zone), core::ZoneClock(zone)}).first;
    }
    last_site_ = site;
    return *(last_clocks_ = &it->second);
}

void Accumulator::add(const store::StatsAppointment& a) {
    auto& r = r_;
    // Neither booked nor starting within the period's covering instants: not its period.
    if ((a.starts_at < from_ || a.starts_at >= to_) &&
        (a.created_at < from_ || a.created_at >= to_))
        return;
    if (!passes(f_, a)) return;
    auto& clock = clocks(a.site_id);
    // The start's local day, read once: it serves the period and the load.
    const LocalDay start_day = clock.start.day(a.starts_at);
    if (in(f_.period, clock.booked.day(a.created_at))) {
        ++r.bookings;
        ++r.by_origin[a.origin];
        ++by_channel_[size_t(a.channel)];
        ++r.by_motif[a.motif_id];
        ++r.by_site[a.site_id];
        ++r.by_language[a.language];
        ++r.by_hour[size_t(clock.start.hour(a.starts_at))];
        ++r.by_weekday[size_t(core::weekday_of(start_day) - 1)];
        delays_.push_back(std::max<Instant>(0, a.starts_at - a.created_at));
    }
    if (!in(f_.period, start_day)) return;
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
        rating_sum_ += *a.rating;
        if (!a.comment.empty()) r.comments.push_back(a.comment);
    }
    count_video(r.video, a, waits_, durations_);
    if (a.status != AppointmentStatus::cancelled) {
        ++per_agent_day_[(std::uint64_t(a.agent_id) << 32) | std::uint32_t(start_day)];
        r.load[a.agent_id].booked_seconds += std::max<Instant>(0, a.ends_at - a.starts_at);
    }
}

Figures Accumulator::finish() {
    auto& r = r_;
    if (auto m = percentile(delays_, 0.5)) r.median_booking_delay_days = days_of(*m);
    if (auto p = percentile(delays_, 0.9)) r.p90_booking_delay_days = days_of(*p);
    r.video.waits = int(waits_.size());
    r.video.median_wait_seconds = percentile(waits_, 0.5);
    r.video.p90_wait_seconds = percentile(waits_, 0.9);
    r.video.durations = int(durations_.size());
    r.video.median_duration_seconds = percentile(std::move(durations_), 0.5);
    if (r.answers > 0) {
        r.average_rating = double(rating_sum_) / r.answers;
        r.csat_share = double(r.ratings[3] + r.ratings[4]) / r.answers;
    }
    for (auto& [key, n] : per_agent_day_) {
        auto& l = r.load[Id(key >> 32)];
        l.appointments += n;
        ++l.days;
        l.busiest_day = std::max(l.busiest_day, n);
    }
    for (auto c : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
        if (by_channel_[size_t(c)] > 0)
            r.by_channel[std::string(core::to_string(c))] = by_channel_[size_t(c)];
    return std::move(r_);
}

Figures compute(const std::vector<store::StatsAppointment>& rows, const Filter& f,
                const Zones& zones) {
    Accumulator acc(f, zones);
    for (auto& a : rows) acc.add(a);
    return acc.finish();
}

Instant Figures::offered_total() const {
    Instant t = 0;
    for (auto& [agent, seconds] : offered_seconds) t += seconds;
    return t;
}

Instant Figures::booked_total() const {
    Instant t = 0;
    for (auto& [agent, l] : load) t += l.booked_seconds;
    return t;
}

std::optional<double> Figures::booked_share() const {
    auto offered = offered_total();
    if (offered <= 0) return std::nullopt;
    return double(booked_total()) / double(offered);
}

void offer(Figures& fig, const store::AvailabilityData& d,
           const std::vector<core::SiteCalendar>& sites, const Filter& f) {
    core::AvailabilityInput in;
    in.from = f.period.first;
    in.to = f.period.last;
    in.site = f.site;
    in.agent = f.agent;
    in.sites = sites;
    bool on_site = !f.channel || *f.channel == core::Channel::on_site;
    for (auto& c : d.closures)
        if (c.every_channel || on_site)
            for (auto& cal : in.sites)
                if (c.site_id == 0 || cal.site_id == c.site_id) cal.holidays.insert(c.day);
    for (auto& p : d.plans) {
        if (f.agents && !std::binary_search(f.agents->begin(), f.agents->end(), p.agent_id))
            continue;
        if (f.channel && (p.channels & core::channel_bit(*f.channel)) == 0) continue;
        if (f.motif && !p.motif_ids.empty() &&
            std::find(p.motif_ids.begin(), p.motif_ids.end(), *f.motif) == p.motif_ids.end())
            continue;
        in.plans.push_back(p);
    }
    in.absences = d.absences;
    in.recurring_absences = d.recurring_absences;
    fig.offered_seconds = core::offered_seconds(in);
}

void first_slots(Figures& fig, const std::vector<store::FirstSlotSample>& samples,
                 const Filter& f) {
    fig.first_slot.clear();
    std::map<std::pair<Id, std::string>, std::vector<Instant>> found;
    for (auto& x : samples) {
        if (!in(f.period, x.day)) continue;
        if (f.motif && x.motif_id != *f.motif) continue;
        if (f.channel && x.channel != *f.channel) continue;
        auto key = std::pair(x.motif_id, std::string(core::to_string(x.channel)));
        auto& g = fig.first_slot[key];
        ++g.samples;
        if (!x.days) ++g.none;
        if (g.samples == 1 || x.day >= g.latest_day) {
            g.latest_day = x.day;
            g.latest = x.days;
        }
        if (x.days) found[key].push_back(*x.days);
    }
    for (auto& [key, days] : found)
        if (auto m = percentile(days, 0.5)) fig.first_slot[key].median = int(*m);
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
