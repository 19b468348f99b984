// The partner's own side (issue 15): see partner_screens.hpp.
#include "app/partner_screens.hpp"

#include "core/timefmt.hpp"

namespace vg::app {

namespace {
std::string first(const core::VisitForm& form, const std::string& name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}
}  // namespace

core::LocalDay PartnerScreens::today_at(const store::PartnerSite& site) const {
    return core::local_day_of(booking_.clock().now(), core::zone_or_default(site.timezone));
}

core::PeriodKind PartnerScreens::period_kind(Id org, Id partner) {
    std::optional<store::Convention> c;
    booking_.store().read([&](store::Session& s) { c = s.latest_convention(org, partner); });
    if (c)
        if (auto k = core::parse_code<core::PeriodKind>(c->reporting_period)) return *k;
    return core::PeriodKind::month;
}

std::vector<store::PartnerSite> PartnerScreens::sites(Id org, Id partner) {
    std::vector<store::PartnerSite> out;
    booking_.store().read([&](store::Session& s) {
        for (auto& x : s.partner_sites(org, partner))
            if (!x.archived_at) out.push_back(x);
    });
    return out;
}

std::optional<PartnerHome> PartnerScreens::home(Id org, Id partner) {
    auto view = admin_.partner(org, partner);
    if (!view) return std::nullopt;
    PartnerHome h;
    h.view = *view;
    h.today = today(org);
    h.sites = sites(org, partner);
    if (view->convention) {
        auto kind = period_kind(org, partner);
        h.current = core::period_of(kind, h.today);
        // The periods due while the convention ran (up to its end when it has ended).
        auto until =
            view->convention->ended_on ? std::min(*view->convention->ended_on, h.today) : h.today;
        auto due = core::periods_due(kind, view->convention->signed_on, until);
        // An ended convention's last periods are due later than its end.
        if (view->convention->ended_on) {
            auto p = due.empty() ? core::period_of(kind, view->convention->signed_on)
                                 : due.back().next();
            while (p.first_day() <= *view->convention->ended_on && p.overdue_on(h.today)) {
                due.push_back(p);
                p = p.next();
            }
        }
        booking_.store().read([&](store::Session& s) {
            for (auto& p : due) {
                DueReport d{p, s.partner_report(org, partner, p.label()), false};
                d.overdue = !d.report && p.overdue_on(h.today);
                h.due.push_back(std::move(d));
            }
        });
    }
    return h;
}

std::optional<PartnerScreens::Certificate> PartnerScreens::certificate(
    Id org, Id partner, const std::string& org_name) {
    auto view = admin_.partner(org, partner);
    if (!view || view->label != "granted" || !view->convention) return std::nullopt;
    Certificate c;
    c.signed_on = view->convention->signed_on;
    c.fields.partner_name = view->partner.name;
    c.fields.partner_town = view->partner.town;
    c.fields.caf_name = org_name;
    c.fields.director_name = view->convention->director_name;
    return c;
}

VisitLog PartnerScreens::log_visit(Id org, Id partner, std::optional<Id> account,
                                   const core::VisitForm& form) {
    VisitLog r;
    auto parsed = core::parse_visit(form);
    r.errors = parsed.errors;
    auto list = sites(org, partner);
    std::optional<store::PartnerSite> site;
    auto site_text = first(form, "site");
    if (site_text.empty() && list.size() == 1) {
        site = list.front();
    } else if (site_text.empty()) {
        r.errors.emplace("site",
                         list.empty() ? "partner.error_no_site" : core::kVisitErrorRequired);
    } else {
        for (auto& x : list)
            if (std::to_string(x.id) == site_text) site = x;
        if (!site) r.errors.emplace("site", core::kVisitErrorUnknown);
    }
    std::optional<core::LocalDay> day;
    auto kind = period_kind(org, partner);
    if (site) {
        auto today = today_at(*site);
        auto day_text = first(form, "day");
        day = day_text.empty() ? std::optional(today) : core::parse_ymd(day_text);
        if (!day)
            r.errors.emplace("day", "partner.error_day");
        else if (*day > today)
            r.errors.emplace("day", "partner.error_day_future");
    }
    if (!r.errors.empty()) return r;
    booking_.store().write([&](store::Session& s) {
        // A period already reported stays as submitted.
        if (s.partner_report(org, partner, core::period_of(kind, *day).label())) {
            r.errors.emplace("day", "partner.error_day_reported");
            return;
        }
        store::PartnerVisit v;
        v.partner_site_id = site->id;
        v.partner_id = partner;
        v.organisation_id = org;
        v.account_id = account;
        v.day = *day;
        v.visit = *parsed.visit;
        r.id = s.insert_partner_visit(v);
    });
    return r;
}

std::vector<store::PartnerVisit> PartnerScreens::visits(Id org, Id partner,
                                                        const core::ReportPeriod& p) {
    std::vector<store::PartnerVisit> out;
    booking_.store().read([&](store::Session& s) {
        out = s.partner_visits(org, partner, p.first_day(), p.last_day());
    });
    return out;
}

bool PartnerScreens::delete_visit(Id org, Id partner, Id visit) {
    auto list = sites(org, partner);
    auto kind = period_kind(org, partner);
    bool done = false;
    booking_.store().write([&](store::Session& s) {
        // The visit's site gives "today"; try each site's today (a partner's sites may lie in
        // different zones), and only a visit of its own site's today goes.
        for (auto& site : list) {
            auto today = today_at(site);
            auto visits = s.partner_visits(org, partner, today, today);
            for (auto& v : visits) {
                if (v.id != visit || v.partner_site_id != site.id) continue;
                if (s.partner_report(org, partner, core::period_of(kind, today).label())) return;
                done = s.delete_partner_visit(org, partner, visit, today);
                return;
            }
        }
    });
    return done;
}

std::optional<ReportView> PartnerScreens::report(Id org, Id partner, const std::string& label) {
    auto p = core::parse_period(label);
    if (!p) return std::nullopt;
    std::optional<store::Partner> exists;
    booking_.store().read([&](store::Session& s) { exists = s.partner(org, partner); });
    if (!exists) return std::nullopt;
    auto kind = period_kind(org, partner);
    auto today = this->today(org);
    if (p->kind != kind || core::period_of(kind, today).first_day() < p->first_day())
        return std::nullopt;
    ReportView v;
    v.period = *p;
    std::vector<core::Visit> list;
    for (auto& x : visits(org, partner, *p)) list.push_back(x.visit);
    v.report = core::aggregate(list);
    booking_.store().read(
        [&](store::Session& s) { v.submitted = s.partner_report(org, partner, p->label()); });
    v.submittable = !v.submitted && p->submittable_on(today);
    v.late_now = p->late_if_submitted_on(today);
    return v;
}

VisitLog PartnerScreens::submit_report(Id org, Id partner, std::optional<Id> account,
                                       const std::string& label, const std::string& comment) {
    VisitLog r;
    auto v = report(org, partner, label);
    if (!v) {
        r.not_found = true;
        return r;
    }
    if (comment.size() > 2000) r.errors.emplace("comment", "partner.error_comment");
    if (v->submitted)
        r.errors.emplace("period", "partner.error_submitted");
    else if (!v->submittable)
        r.errors.emplace("period", "partner.error_not_yet");
    if (!r.errors.empty()) return r;
    auto today = this->today(org);
    booking_.store().write([&](store::Session& s) {
        store::PartnerReport rep;
        rep.partner_id = partner;
        rep.organisation_id = org;
        rep.period = v->period.label();
        rep.submitted_by = account;
        rep.late = v->period.late_if_submitted_on(today);
        rep.comment = comment;
        if (!s.insert_partner_report(rep)) r.errors.emplace("period", "partner.error_submitted");
    });
    return r;
}

}  // namespace vg::app
