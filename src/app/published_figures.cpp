#include "app/published_figures.hpp"

#include <nlohmann/json.hpp>

#include "app/admin_form.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

using detail::Form;
using detail::journal;
using nlohmann::json;

namespace {

json choice_json(const store::FigureChoice& c) {
    return {{"held", c.held},
            {"video_share", c.video_share},
            {"median_delay", c.median_delay},
            {"satisfaction", c.satisfaction},
            {"delays", c.delays}};
}

json week_json(const store::DelayWeek& w) {
    json lines = json::array();
    for (auto& l : w.lines)
        lines.push_back({{"label", detail::local_json(l.label)},
                         {"from", core::format_ymd(l.from)},
                         {"to", core::format_ymd(l.to)}});
    return {{"week", core::format_ymd(w.week)}, {"lines", lines}};
}

core::LocalDay today_of(const store::Organisation& o, Instant now) {
    return core::local_day_of(now, core::zone_or_default(o.default_time_zone));
}

}  // namespace

store::FigureChoice read_figure_choice(const Fields& f) {
    Form in{f, {}};
    store::FigureChoice c;
    c.held = in.flag("held");
    c.video_share = in.flag("video_share");
    c.median_delay = in.flag("median_delay");
    c.satisfaction = in.flag("satisfaction");
    c.delays = in.flag("delays");
    return c;
}

DelayForm read_delays(const Fields& f, core::LocalDay today) {
    Form in{f, {}};
    DelayForm out;
    auto this_week = core::monday_of(today);
    auto week = core::parse_ymd(core::trim(in.raw("week")));
    if (!week || core::monday_of(*week) != *week ||
        (*week != this_week && *week != this_week + 7)) {
        out.errors["week"] = "public_figures.error_week";
        week = this_week;
    }
    out.week = *week;
    auto sunday = out.week + 6;
    for (int n = 1; n <= kMaxDelayLines; ++n) {
        auto i = std::to_string(n);
        bool anything = false;
        for (auto& lang : text::kLanguages)
            anything = anything || !core::trim(in.raw("label_" + lang + "_" + i)).empty();
        for (auto name : {"from_", "to_"})
            anything = anything || !core::trim(in.raw(name + i)).empty();
        if (!anything) continue;
        store::DelayLine line;
        for (auto& lang : text::kLanguages) {
            auto field = "label_" + lang + "_" + i;
            auto v = in.text(field, lang == "fr", kMaxDelayLabel);
            if (!v.empty()) line.label.by_lang[lang] = v;
        }
        std::optional<core::LocalDay> days[2];
        const char* names[2] = {"from_", "to_"};
        for (int k = 0; k < 2; ++k) {
            auto field = names[k] + i;
            auto v = core::trim(in.raw(field));
            if (v.empty()) {
                in.errors[field] = "admin.error_required";
                continue;
            }
            days[k] = core::parse_ymd(v);
            if (!days[k])
                in.errors[field] = "public_figures.error_date";
            else if (*days[k] > sunday)
                in.errors[field] = "public_figures.error_future";
            else if (*days[k] < out.week - kDelayLookBackDays)
                in.errors[field] = "public_figures.error_too_old";
        }
        if (days[0] && days[1] && *days[0] > *days[1] && !in.errors.count("from_" + i))
            in.errors["from_" + i] = "public_figures.error_order";
        if (days[0] && days[1]) {
            line.from = *days[0];
            line.to = *days[1];
        }
        out.lines.push_back(line);
    }
    if (out.lines.empty() && in.errors.empty())
        in.errors["label_fr_1"] = "public_figures.error_no_line";
    out.errors.insert(in.errors.begin(), in.errors.end());
    return out;
}

stats::Period last_complete_month(core::LocalDay today) {
    auto first_this = today - (core::day_parts(today).day - 1);
    auto last = first_this - 1;
    return {last - (core::day_parts(last).day - 1), last};
}

MonthFigures month_figures(const std::vector<store::StatsAppointment>& rows, const stats::Period& p,
                           const stats::Zones& zones) {
    stats::Filter all;
    all.period = p;
    auto video = all;
    video.channel = core::Channel::video;
    auto a = stats::compute(rows, all, zones);
    auto v = stats::compute(rows, video, zones);
    MonthFigures m;
    m.period = p;
    m.held = a.held;
    m.held_by_video = v.held;
    if (a.held > 0) m.video_share = double(v.held) / a.held;
    m.bookings = a.bookings;
    m.median_delay_days = a.median_booking_delay_days;
    m.answers = a.answers;
    m.average_rating = a.average_rating;
    m.csat_share = a.csat_share;
    return m;
}

store::FigureChoice PublishedFigures::choice(Id org) {
    std::optional<store::FigureChoice> c;
    booking_.store().read([&](store::Session& s) { c = s.figure_choice(org); });
    return c.value_or(store::FigureChoice{});
}

AdminResult PublishedFigures::save_choice(Id org, const Fields& f, const std::string& actor) {
    auto c = read_figure_choice(f);
    c.updated_by = actor;
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.organisation_by_id(org)) {
            r.not_found = true;
            return;
        }
        auto before = s.figure_choice(org);
        s.put_figure_choice(org, c);
        journal(s, org, actor, "published_figures", org, before ? "update" : "create",
                before ? choice_json(*before) : json(), choice_json(c));
    });
    if (r.ok()) booking_.configuration_changed();
    r.id = org;
    return r;
}

AdminResult PublishedFigures::save_delays(Id org, const Fields& f, const std::string& actor) {
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        auto o = s.organisation_by_id(org);
        if (!o) {
            r.not_found = true;
            return;
        }
        auto form = read_delays(f, today_of(*o, booking_.clock().now()));
        r.errors = form.errors;
        if (!r.errors.empty()) return;
        store::DelayWeek w{org, form.week, form.lines, actor, 0};
        auto before = s.delay_weeks(org, 1, form.week);
        bool existed = !before.empty() && before.front().week == form.week;
        s.replace_delay_week(w);
        journal(s, org, actor, "processing_delays", org, existed ? "update" : "create",
                existed ? week_json(before.front()) : json(), week_json(w));
    });
    if (r.ok()) booking_.configuration_changed();
    r.id = org;
    return r;
}

std::vector<store::DelayWeek> PublishedFigures::history(Id org, int weeks) {
    std::vector<store::DelayWeek> out;
    booking_.store().read(
        [&](store::Session& s) { out = s.delay_weeks(org, weeks, std::nullopt); });
    return out;
}

MonthFigures PublishedFigures::figures_of(const OrgData& org, const stats::Period& month) {
    auto now = booking_.clock().now();
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(org.org.id);
        if (it != cache_.end() && it->second.month_first == month.first &&
            now - it->second.computed_at < kCacheSeconds && now >= it->second.computed_at)
            return it->second.figures;
    }
    // Outside the lock: two first readers may both compute, and give the same figures.
    std::vector<store::StatsAppointment> rows;
    auto [from, to] = stats::covering_instants(month);
    booking_.store().read([&](store::Session& s) {
        s.stats_appointments(org.org.id, from, to, false,
                             [&](const store::StatsAppointment& a) { rows.push_back(a); });
    });
    auto figures = month_figures(rows, month, stats::Zones::of(org.org, org.sites));
    std::lock_guard lock(mutex_);
    cache_[org.org.id] = {month.first, now, figures};
    return figures;
}

PublishedFigures::View PublishedFigures::view(const OrgData& org) {
    View v;
    auto today = core::local_day_of(booking_.clock().now(), org.default_zone());
    std::vector<store::DelayWeek> weeks;
    booking_.store().read([&](store::Session& s) {
        v.choice = s.figure_choice(org.org.id).value_or(store::FigureChoice{});
        if (v.choice.delays) weeks = s.delay_weeks(org.org.id, 1, core::monday_of(today));
    });
    if (!weeks.empty()) v.delays = weeks.front();
    if (v.choice.any_figure()) v.month = figures_of(org, last_complete_month(today));
    return v;
}

}  // namespace vg::app
