// The organisation's view of all its partners (issue 15): see partner_caf.hpp.
#include "app/partner_caf.hpp"

#include <algorithm>

#include "app/admin_form.hpp"
#include "core/timefmt.hpp"

namespace vg::app {

std::optional<int> resolved_percent(int resolved, int visits) {
    if (visits <= 0) return std::nullopt;
    return (resolved * 200 + visits) / (2 * visits);
}

std::vector<core::ReportPeriod> PartnerCaf::months(Id org) {
    std::vector<core::ReportPeriod> out;
    auto p = core::period_of(core::PeriodKind::month, screens_.today(org));
    for (int i = 0; i < kOverviewMonths; ++i, p = p.previous()) out.push_back(p);
    std::reverse(out.begin(), out.end());
    return out;
}

PartnerOverview PartnerCaf::build(Id org, const PartnerView& v,
                                  const std::vector<core::ReportPeriod>& m) {
    PartnerOverview o;
    o.view = v;
    Id id = v.partner.id;
    // Opening hours: every site not archived meets the minimum.
    auto sites = screens_.sites(org, id);
    o.sites = int(sites.size());
    if (!sites.empty()) {
        bool met = true;
        for (auto& x : sites)
            if (auto h = hours_.site_hours(org, id, x.id); h && !h->compliance.meets()) met = false;
        o.hours = met ? "met" : "not_met";
    }
    // The reports due (with the ended convention's last periods), as the partner's home.
    auto home = screens_.home(org, id);
    if (home)
        for (auto& d : home->due) o.reports.push_back({d.period, 0, 0, d.report, d.overdue});
    // One read of the visits from the oldest day counted.
    core::LocalDay from = m.front().first_day(), to = m.back().last_day();
    if (!o.reports.empty()) {
        from = std::min(from, o.reports.front().period.first_day());
        to = std::max(to, o.reports.back().period.last_day());
    }
    o.visits_by_month.assign(m.size(), 0);
    booking_.store().read([&](store::Session& s) {
        for (auto& x : s.partner_visits(org, id, from, to)) {
            bool yes = x.visit.resolved == core::Resolved::yes;
            for (size_t i = 0; i < m.size(); ++i)
                if (m[i].contains(x.day)) {
                    ++o.visits_by_month[i];
                    ++o.visits;
                    if (yes) ++o.resolved;
                }
            for (auto& r : o.reports)
                if (r.period.contains(x.day)) {
                    ++r.visits;
                    if (yes) ++r.resolved;
                }
        }
        o.bookings_on_behalf = s.partner_bookings_on_behalf(org, id);
    });
    o.needing_training = needing_training(org, id);
    for (auto& t : trainings(org, id))
        if (t.kind == "update" && !o.last_update_day) o.last_update_day = t.attended_on;
    for (auto& r : o.reports) {
        if (r.report) o.last_report = r;
        if (r.overdue) ++o.overdue;
    }
    return o;
}

std::vector<PartnerOverview> PartnerCaf::overview(Id org) {
    std::vector<PartnerOverview> out;
    auto m = months(org);
    PartnerAdmin admin(booking_, nullptr);
    for (auto& v : admin.partners(org)) out.push_back(build(org, v, m));
    return out;
}

std::optional<PartnerOverview> PartnerCaf::partner(Id org, Id id) {
    PartnerAdmin admin(booking_, nullptr);
    auto v = admin.partner(org, id);
    if (!v) return std::nullopt;
    return build(org, *v, months(org));
}

using detail::journal;
using nlohmann::json;

namespace {
json notice_json(const store::ConventionNotice& n) {
    return {{"given_on", core::format_ymd(n.given_on)},
            {"given_by", n.given_by},
            {"ends_on", core::format_ymd(n.ends_on)}};
}
}  // namespace

AdminResult PartnerCaf::give_notice(Id org, Id partner, const Fields& f, const std::string& actor) {
    AdminResult r;
    auto raw = [&](const char* k) {
        auto it = f.find(k);
        return it == f.end() ? std::string() : core::trim(it->second);
    };
    auto by = raw("by");
    if (by != "caf" && by != "partner")
        r.errors.emplace("by", by.empty() ? "admin.error_required" : "admin.error_invalid");
    auto today = screens_.today(org);
    auto on_text = raw("given_on");
    auto on = on_text.empty() ? std::optional(today) : core::parse_ymd(on_text);
    if (!on)
        r.errors.emplace("given_on", "admin.error_date");
    else if (*on > today)
        r.errors.emplace("given_on", "partner_caf.error_future");
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        auto c = s.latest_convention(org, partner);
        if (!c || c->ended_on) {
            r.errors.emplace("convention", "partner_caf.error_no_convention");
            return;
        }
        if (s.convention_notice(org, c->id))
            r.errors.emplace("convention", "partner_caf.error_notice_given");
        if (on && *on < c->signed_on)
            r.errors.emplace("given_on", "partner_caf.error_before_signature");
        if (!r.errors.empty()) return;
        store::ConventionNotice n;
        n.convention_id = c->id;
        n.organisation_id = org;
        n.given_on = *on;
        n.given_by = by;
        n.actor = actor;
        n.ends_on = core::term_ended_by_notice(c->signed_on, c->term_months, *on).last_day;
        if (!s.insert_convention_notice(n)) {
            r.errors.emplace("convention", "partner_caf.error_notice_given");
            return;
        }
        journal(s, org, actor, "convention_notice", c->id, "create", nullptr, notice_json(n));
        r.id = c->id;
    });
    return r;
}

std::optional<store::ConventionNotice> PartnerCaf::notice(Id org, Id partner) {
    std::optional<store::ConventionNotice> out;
    booking_.store().read([&](store::Session& s) {
        if (auto c = s.latest_convention(org, partner)) out = s.convention_notice(org, c->id);
    });
    return out;
}

int PartnerCaf::end_noticed() {
    std::vector<store::ConventionNotice> due;
    booking_.store().read([&](store::Session& s) { due = s.live_convention_notices(); });
    int n = 0;
    for (auto& x : due) {
        if (screens_.today(x.organisation_id) <= x.ends_on) continue;
        booking_.store().write([&](store::Session& s) {
            if (s.end_convention(x.organisation_id, x.convention_id, x.ends_on, "notice")) {
                journal(s, x.organisation_id, "system", "convention", x.convention_id, "update",
                        json{{"ended_on", nullptr}},
                        json{{"ended_on", core::format_ymd(x.ends_on)}, {"end_reason", "notice"}});
                ++n;
            }
        });
    }
    if (n) booking_.configuration_changed();
    return n;
}

AdminResult PartnerCaf::remove_staff(Id org, Id partner, Id account, const std::string& actor) {
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        std::optional<store::PartnerStaff> found;
        for (auto& x : s.partner_staff(org, partner))
            if (x.account.id == account) found = x;
        if (!found || !s.remove_membership(account, org, "partner")) {
            r.not_found = true;
            return;
        }
        int ended = s.revoke_staff_sessions(account, booking_.clock().now());
        journal(s, org, actor, "member", account, "delete",
                json{{"email", found->account.email}, {"role", "partner"}, {"partner", partner}},
                json{{"sessions_ended", ended}});
        r.id = account;
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult PartnerCaf::archive_site(Id org, Id partner, Id site, const std::string& actor) {
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        auto x = s.partner_site(org, site);
        if (!x || x->partner_id != partner || x->archived_at ||
            !s.archive_partner_site(org, site, booking_.clock().now())) {
            r.not_found = true;
            return;
        }
        journal(s, org, actor, "partner_site", site, "update",
                json{{"name", x->name}, {"archived", false}}, json{{"archived", true}});
        r.id = site;
    });
    if (r.ok()) {
        booking_.configuration_changed();
        bump_hours_generation();
    }
    return r;
}

AdminResult PartnerCaf::archive_partner(Id org, Id partner, const std::string& actor) {
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        auto p = s.partner(org, partner);
        if (!p || p->archived_at) {
            r.not_found = true;
            return;
        }
        auto c = s.latest_convention(org, partner);
        if (c && !c->ended_on) {
            r.errors.emplace("partner", "partner_caf.error_still_live");
            return;
        }
        auto now = booking_.clock().now();
        for (auto& x : s.partner_sites(org, partner))
            if (!x.archived_at) s.archive_partner_site(org, x.id, now);
        s.archive_partner(org, partner, now);
        journal(s, org, actor, "partner", partner, "update",
                json{{"name", p->name}, {"archived", false}}, json{{"archived", true}});
        r.id = partner;
    });
    if (r.ok()) {
        booking_.configuration_changed();
        bump_hours_generation();
    }
    return r;
}

AdminResult PartnerCaf::add_training(Id org, Id partner, const Fields& f,
                                     const std::string& actor) {
    detail::Form in{f, {}};
    auto kind = in.raw("kind").empty() ? std::string("training") : in.raw("kind");
    if (kind != "training" && kind != "update") in.fail("kind", "invalid");
    auto title = in.text("title", true, 200);
    auto on_text = core::trim(in.raw("attended_on"));
    auto on = core::parse_ymd(on_text);
    if (on_text.empty())
        in.fail("attended_on", "required");
    else if (!on)
        in.fail("attended_on", "date");
    else if (*on > screens_.today(org))
        in.errors.emplace("attended_on", "partner_caf.error_future");
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        std::optional<store::Account> person;
        if (kind == "training") {
            auto account = core::trim(in.raw("account"));
            for (auto& x : s.partner_staff(org, partner))
                if (std::to_string(x.account.id) == account) person = x.account;
            if (!person)
                in.errors.emplace("account",
                                  account.empty() ? "admin.error_required" : "admin.error_invalid");
        }
        r.errors = in.errors;
        if (!r.errors.empty()) return;
        store::PartnerTraining t;
        t.partner_id = partner;
        t.organisation_id = org;
        if (person) {
            t.account_id = person->id;
            t.person = person->display_name.empty() ? person->email : person->display_name;
        }
        t.title = title;
        t.kind = kind;
        t.attended_on = *on;
        t.id = s.insert_partner_training(t);
        journal(s, org, actor, "partner_training", t.id, "create", nullptr,
                json{{"partner", partner},
                     {"person", t.person},
                     {"title", t.title},
                     {"kind", t.kind},
                     {"attended_on", core::format_ymd(t.attended_on)}});
        r.id = t.id;
    });
    return r;
}

std::vector<store::PartnerTraining> PartnerCaf::trainings(Id org, Id partner) {
    std::vector<store::PartnerTraining> out;
    booking_.store().read([&](store::Session& s) { out = s.partner_trainings(org, partner); });
    return out;
}

std::vector<store::Account> PartnerCaf::needing_training(Id org, Id partner) {
    auto today = screens_.today(org);
    auto since = core::add_months(today, -12);
    std::vector<store::Account> out;
    booking_.store().read([&](store::Session& s) {
        auto list = s.partner_trainings(org, partner);
        for (auto& x : s.partner_staff(org, partner)) {
            if (x.account.disabled_at) continue;
            bool trained = false;
            for (auto& t : list)
                if (t.kind == "training" && t.account_id == x.account.id && t.attended_on > since)
                    trained = true;
            if (!trained) out.push_back(x.account);
        }
    });
    return out;
}

}  // namespace vg::app
