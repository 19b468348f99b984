// A partner site's opening hours and closures (issue 15): see partner_hours.hpp.
#include "app/partner_hours.hpp"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "app/admin_form.hpp"
#include "app/partner_mail.hpp"
#include "app/partners_admin.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

using detail::Form;
using detail::journal;
using nlohmann::json;

namespace {
std::atomic<std::uint64_t> generation{0};
}  // namespace

std::uint64_t hours_generation() {
    return generation.load();
}

void bump_hours_generation() {
    ++generation;
}

HoursCompliance hours_compliance(const std::vector<core::OpeningSpan>& spans,
                                 const std::vector<core::ClosureRange>& closures,
                                 core::LocalDay today) {
    HoursCompliance c;
    c.regular = core::check_regular_week(spans);
    c.from = today;
    c.to = today + kHoursWeeksAhead * 7 - 1;
    c.short_weeks = core::weeks_below_minimum(spans, closures, c.from, c.to);
    return c;
}

bool hours_got_worse(const HoursCompliance& before, const HoursCompliance& after) {
    if (before.regular.meets_minimum() && !after.regular.meets_minimum()) return true;
    std::set<core::LocalDay> known;
    for (auto& w : before.short_weeks) known.insert(w.monday);
    return std::any_of(after.short_weeks.begin(), after.short_weeks.end(),
                       [&](auto& w) { return !known.count(w.monday); });
}

std::string hours_line(int weekday, int n) {
    return "h" + std::to_string(weekday) + "_" + std::to_string(n);
}

std::string format_hhmm(int minutes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

std::optional<int> parse_hhmm(const std::string& raw) {
    auto s = core::trim(raw);
    auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2 || s.size() != colon + 3)
        return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != colon && (s[i] < '0' || s[i] > '9')) return std::nullopt;
    int h = std::stoi(s.substr(0, colon));
    int m = std::stoi(s.substr(colon + 1));
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

Fields hours_fields(const std::vector<core::OpeningSpan>& spans) {
    Fields f;
    int count[7] = {};
    for (auto& x : spans) {
        if (x.weekday < 0 || x.weekday > 6 || count[x.weekday] >= kSpansPerDay) continue;
        auto line = hours_line(x.weekday, count[x.weekday]++);
        f[line + "_opens"] = format_hhmm(x.opens);
        f[line + "_closes"] = format_hhmm(x.closes);
    }
    return f;
}

std::vector<core::OpeningSpan> parse_hours_form(const Fields& f, core::FieldErrors& errors) {
    auto raw = [&](const std::string& k) {
        auto it = f.find(k);
        return it == f.end() ? std::string() : core::trim(it->second);
    };
    std::vector<core::OpeningSpan> spans;
    std::vector<std::string> lines;  // the line of each span
    for (int d = 0; d < 7; ++d)
        for (int n = 0; n <= kSpansPerDay; ++n) {
            auto line = hours_line(d, n);
            auto o = raw(line + "_opens"), c = raw(line + "_closes");
            if (o.empty() && c.empty()) continue;
            if (n == kSpansPerDay) {
                errors.emplace(hours_line(d, n - 1), "partner_hours.error_too_many");
                continue;
            }
            if (o.empty() || c.empty()) {
                errors.emplace(line, "partner_hours.error_incomplete");
                continue;
            }
            auto po = parse_hhmm(o), pc = parse_hhmm(c);
            if (!po || !pc || *po == 24 * 60) {
                errors.emplace(line, "partner_hours.error_time");
                continue;
            }
            spans.push_back({d, *po, *pc});
            lines.push_back(line);
        }
    for (auto& p : core::validate_hours(spans))
        errors.emplace(lines[p.index], std::string("hours_rule.error.") + core::to_code(p.error));
    std::sort(spans.begin(), spans.end(), [](auto& a, auto& b) {
        return std::tie(a.weekday, a.opens) < std::tie(b.weekday, b.opens);
    });
    return spans;
}

namespace {

json spans_json(const std::vector<core::OpeningSpan>& spans) {
    json out = json::array();
    for (auto& x : spans)
        out.push_back({{"weekday", x.weekday},
                       {"opens", format_hhmm(x.opens)},
                       {"closes", format_hhmm(x.closes)}});
    return out;
}

json closure_json(const store::PartnerClosure& c) {
    return {{"site", c.partner_site_id},
            {"from", core::format_ymd(c.from_day)},
            {"to", core::format_ymd(c.to_day)},
            {"reason", c.reason}};
}

std::vector<core::ClosureRange> ranges(const std::vector<store::PartnerClosure>& cs) {
    std::vector<core::ClosureRange> out;
    for (auto& c : cs) out.push_back({c.from_day, c.to_day});
    return out;
}

}  // namespace

core::LocalDay PartnerHours::today_at(const store::PartnerSite& site) const {
    return core::local_day_of(booking_.clock().now(), core::zone_or_default(site.timezone));
}

SiteHours PartnerHours::load(store::Session& s, const store::Partner& p,
                             const store::PartnerSite& x) {
    SiteHours h;
    h.site = x;
    h.partner = p;
    auto c = s.latest_convention(p.organisation_id, p.id);
    h.convention_live = c && !c->ended_on;
    h.spans = s.partner_hours(x.organisation_id, x.id);
    auto today = today_at(x);
    h.closures = s.partner_closures(x.organisation_id, x.id, today);
    h.compliance = hours_compliance(h.spans, ranges(h.closures), today);
    return h;
}

std::optional<SiteHours> PartnerHours::site_hours(Id org, Id partner, Id site) {
    std::optional<SiteHours> out;
    booking_.store().read([&](store::Session& s) {
        auto p = s.partner(org, partner);
        auto x = s.partner_site(org, site);
        if (p && x && x->partner_id == partner) out = load(s, *p, *x);
    });
    return out;
}

std::vector<SiteHours> PartnerHours::organisation_sites(Id org) {
    std::vector<SiteHours> out;
    booking_.store().read([&](store::Session& s) {
        for (auto& p : s.partners(org))
            for (auto& x : s.partner_sites(org, p.id)) out.push_back(load(s, p, x));
    });
    return out;
}

std::string format_duration(const text::I18n& i18n, const std::string& lang, int minutes) {
    auto text =
        i18n.t(lang, minutes % 60 ? "partner_hours.duration_hm" : "partner_hours.duration_h");
    char mm[16];
    std::snprintf(mm, sizeof mm, "%02d", minutes % 60);
    text = text::I18n::fill(text, "{h}", std::to_string(minutes / 60));
    return text::I18n::fill(text, "{mm}", mm);
}

std::vector<std::string> shortfall_lines(const text::I18n& i18n, const std::string& lang,
                                         const HoursCompliance& c) {
    std::vector<std::string> out;
    if (!c.regular.enough_hours()) {
        auto t = i18n.t(lang, "hours_rule.short_hours");
        t = text::I18n::fill(t, "{hours}", format_duration(i18n, lang, c.regular.minutes));
        out.push_back(text::I18n::fill(t, "{missing}",
                                       format_duration(i18n, lang, c.regular.missing_minutes())));
    }
    if (!c.regular.enough_half_days()) {
        auto t = i18n.t(lang, "hours_rule.short_half_days");
        t = text::I18n::fill(t, "{half_days}", std::to_string(c.regular.half_days));
        out.push_back(
            text::I18n::fill(t, "{missing}", std::to_string(c.regular.missing_half_days())));
    }
    if (c.regular.meets_minimum())
        for (auto& w : c.short_weeks)
            out.push_back(text::I18n::fill(i18n.t(lang, "hours_rule.week_short"), "{date}",
                                           i18n.format_date(lang, core::day_parts(w.monday))));
    return out;
}

bool PartnerHours::alert_if_worse(store::Session& s, const SiteHours& before,
                                  const SiteHours& after, const std::string& actor) {
    if (!after.convention_live || !hours_got_worse(before.compliance, after.compliance))
        return false;
    auto org = s.organisation_by_id(after.site.organisation_id);
    if (!org) return false;
    auto now = booking_.clock().now();
    auto link = link_base_ + "/console/admin/partners/" + std::to_string(after.partner.id) +
                "/sites/" + std::to_string(after.site.id);
    // One alert per change: the key names the site, the instant and the change's content.
    auto key = "partner_hours:" + std::to_string(after.site.id) + ":" + std::to_string(now) + ":" +
               std::to_string(std::hash<std::string>{}(spans_json(after.spans).dump() +
                                                       json(after.closures.size()).dump() + actor));
    auto intro = [&](const std::string& lang) {
        auto text = text::I18n::fill(i18n_.t(lang, "partner_hours.alert_intro"), "{partner}",
                                     after.partner.name);
        text = text::I18n::fill(text, "{site}", after.site.name);
        for (auto& line : shortfall_lines(i18n_, lang, after.compliance)) text += " " + line;
        return text;
    };
    bool any = false;
    for (auto& [a, lang] : partner_managers(s, *org)) {
        auto fill = [&](std::string t) {
            t = text::I18n::fill(t, "{partner}", after.partner.name);
            t = text::I18n::fill(t, "{site}", after.site.name);
            return text::I18n::fill(t, "{organisation}", org->name);
        };
        json payload = {{"site_id", after.site.id},
                        {"to", a.email},
                        {"to_name", a.display_name},
                        {"lang", lang},
                        {"subject", fill(i18n_.t(lang, "partner_hours.alert_subject"))},
                        {"intro", intro(lang)},
                        {"after", i18n_.t(lang, "partner_hours.alert_after")},
                        {"link", link}};
        s.enqueue({org->id, std::nullopt, key + ":account:" + std::to_string(a.id), "partner_hours",
                   "email", payload.dump(), now});
        any = true;
    }
    return any;
}

AdminResult PartnerHours::save_hours(Id org, Id partner, Id site, const Fields& f,
                                     const std::string& actor) {
    AdminResult r;
    auto spans = parse_hours_form(f, r.errors);
    bool alerted = false;
    booking_.store().write([&](store::Session& s) {
        alerted = false;
        auto p = s.partner(org, partner);
        auto x = s.partner_site(org, site);
        if (!p || !x || x->partner_id != partner) {
            r.not_found = true;
            r.errors.clear();
            return;
        }
        if (!r.errors.empty()) return;
        auto before = load(s, *p, *x);
        s.replace_partner_hours(org, site, spans);
        auto after = load(s, *p, *x);
        journal(s, org, actor, "partner_hours", site, "update", spans_json(before.spans),
                spans_json(after.spans));
        alerted = alert_if_worse(s, before, after, actor);
        r.id = site;
    });
    if (r.ok()) ++generation;
    if (alerted) {
        ++alerts_;
        booking_.notify_messages_queued();
    }
    return r;
}

AdminResult PartnerHours::add_closure(Id org, Id partner, Id site, const Fields& f,
                                      const std::string& actor) {
    Form in{f, {}};
    store::PartnerClosure c;
    c.organisation_id = org;
    c.partner_site_id = site;
    auto from = in.text("from", true, 10);
    auto to = in.text("to", false, 10);
    c.reason = in.text("reason", false, 200);
    auto fd = from.empty() ? std::nullopt : core::parse_ymd(from);
    auto td = to.empty() ? fd : core::parse_ymd(to);
    if (!from.empty() && !fd) in.fail("from", "date");
    if (!to.empty() && !td) in.fail("to", "date");
    if (fd && td) {
        c.from_day = *fd;
        c.to_day = *td;
        if (!core::valid_closure({c.from_day, c.to_day}))
            in.errors.emplace("to", "hours_rule.error.closure_reversed");
    }
    AdminResult r;
    bool alerted = false;
    booking_.store().write([&](store::Session& s) {
        alerted = false;
        auto p = s.partner(org, partner);
        auto x = s.partner_site(org, site);
        if (!p || !x || x->partner_id != partner) {
            r.not_found = true;
            return;
        }
        r.errors = in.errors;
        if (!r.errors.empty()) return;
        auto before = load(s, *p, *x);
        c.id = s.insert_partner_closure(c);
        auto after = load(s, *p, *x);
        journal(s, org, actor, "partner_closure", c.id, "create", nullptr, closure_json(c));
        alerted = alert_if_worse(s, before, after, actor);
        r.id = c.id;
    });
    if (r.ok()) ++generation;
    if (alerted) {
        ++alerts_;
        booking_.notify_messages_queued();
    }
    return r;
}

AdminResult PartnerHours::delete_closure(Id org, Id partner, Id site, Id closure,
                                         const std::string& actor) {
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        auto p = s.partner(org, partner);
        auto x = s.partner_site(org, site);
        std::optional<store::PartnerClosure> found;
        if (p && x && x->partner_id == partner)
            for (auto& c : s.partner_closures(org, site, std::nullopt))
                if (c.id == closure) found = c;
        if (!found || !s.delete_partner_closure(org, site, closure)) {
            r.not_found = true;
            return;
        }
        journal(s, org, actor, "partner_closure", closure, "delete", closure_json(*found), nullptr);
        r.id = closure;
    });
    return r;
}

}  // namespace vg::app
