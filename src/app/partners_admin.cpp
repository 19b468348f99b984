// The organisation's side of partners (issue 15): see partners_admin.hpp.
#include "app/partners_admin.hpp"

#include <algorithm>

#include "app/admin_form.hpp"
#include "core/timefmt.hpp"

namespace vg::app {

using detail::Form;
using detail::journal;
using detail::save_journalled;
using nlohmann::json;

namespace {

json partner_json(const store::Partner& p) {
    return {{"name", p.name},
            {"town", p.town},
            {"responsible_name", p.responsible_name},
            {"responsible_email", p.responsible_email}};
}

json site_json(const store::PartnerSite& x) {
    return {
        {"partner", x.partner_id},          {"name", x.name},           {"address", x.address},
        {"postcode", x.postcode},           {"town", x.town},           {"time_zone", x.timezone},
        {"accessibility", x.accessibility}, {"step_free", x.step_free}, {"equipment", x.equipment},
        {"video_desk", x.video_desk}};
}

json day_json(const std::optional<core::LocalDay>& d) {
    return d ? json(core::format_ymd(*d)) : json();
}

json convention_json(const store::Convention& c) {
    return {{"partner", c.partner_id},
            {"signed_on", core::format_ymd(c.signed_on)},
            {"term_months", c.term_months},
            {"reporting_period", c.reporting_period},
            {"option_video_desk", c.option_video_desk},
            {"option_visio", c.option_visio},
            {"responsible_name", c.responsible_name},
            {"responsible_email", c.responsible_email},
            {"director_name", c.director_name},
            {"committee_on", day_json(c.committee_on)},
            {"visit_on", day_json(c.visit_on)},
            {"visit_findings", c.visit_findings},
            {"ended_on", day_json(c.ended_on)},
            {"end_reason", c.end_reason}};
}

// An optional YYYY-MM-DD field.
std::optional<core::LocalDay> day_field(Form& in, const std::string& name, bool required) {
    auto v = in.text(name, required, 10);
    if (v.empty()) return std::nullopt;
    auto d = core::parse_ymd(v);
    if (!d) in.fail(name, "date");
    return d;
}

// The convention's terms from the form (everything but signed_on).
void convention_terms(Form& in, store::Convention& c) {
    c.term_months = in.number("term_months", 1, 120, 12);
    c.reporting_period = in.text("reporting_period", false, 10);
    if (c.reporting_period.empty()) c.reporting_period = "month";
    if (c.reporting_period != "month" && c.reporting_period != "quarter")
        in.fail("reporting_period", "invalid");
    c.option_video_desk = in.flag("option_video_desk");
    c.option_visio = in.flag("option_visio");
    c.responsible_name = in.text("responsible_name", false, 120);
    c.responsible_email = in.email("responsible_email", false);
    c.director_name = in.text("director_name", false, 120);
    c.committee_on = day_field(in, "committee_on", false);
    c.visit_on = day_field(in, "visit_on", false);
    c.visit_findings = in.text("visit_findings", false, 5000, true);
}

}  // namespace

std::string label_state(const std::vector<store::LabelEvent>& events,
                        const std::optional<store::Convention>& convention) {
    if (events.empty()) return "none";
    if (events.front().kind == "granted" && convention && !convention->ended_on) return "granted";
    return events.front().kind == "withdrawn" ? "withdrawn" : "none";
}

const std::vector<std::string>& PartnerAdmin::grounds() {
    static const std::vector<std::string> g{"commitment", "indicators", "dissatisfaction"};
    return g;
}

core::LocalDay PartnerAdmin::today(Id org) {
    std::optional<store::Organisation> o;
    booking_.store().read([&](store::Session& s) { o = s.organisation_by_id(org); });
    return core::local_day_of(booking_.clock().now(),
                              core::zone_or_default(o ? o->default_time_zone : ""));
}

namespace {
PartnerView view_of(store::Session& s, const store::Partner& p, core::LocalDay today) {
    PartnerView v;
    v.partner = p;
    v.convention = s.latest_convention(p.organisation_id, p.id);
    auto events = s.label_events(p.organisation_id, p.id);
    v.label = label_state(events, v.convention);
    if (!events.empty()) v.last_label = events.front();
    if (v.live())
        v.term = core::current_term(v.convention->signed_on, v.convention->term_months, today);
    return v;
}
}  // namespace

std::vector<PartnerView> PartnerAdmin::partners(Id org) {
    auto day = today(org);
    std::vector<PartnerView> out;
    booking_.store().read([&](store::Session& s) {
        for (auto& p : s.partners(org)) out.push_back(view_of(s, p, day));
    });
    return out;
}

std::optional<PartnerView> PartnerAdmin::partner(Id org, Id id) {
    auto day = today(org);
    std::optional<PartnerView> out;
    booking_.store().read([&](store::Session& s) {
        if (auto p = s.partner(org, id)) out = view_of(s, *p, day);
    });
    return out;
}

AdminResult PartnerAdmin::save_partner(Id org, std::optional<Id> id, const Fields& f,
                                       const std::string& actor) {
    Form in{f, {}};
    store::Partner p;
    p.organisation_id = org;
    p.name = in.text("name", true, 120);
    p.town = in.text("town", false, 120);
    p.responsible_name = in.text("responsible_name", false, 120);
    p.responsible_email = in.email("responsible_email", false);
    AdminResult r;
    r.errors = in.errors;
    booking_.store().write([&](store::Session& s) {
        std::optional<store::Partner> before;
        if (id) {
            before = s.partner(org, *id);
            if (!before) {
                r.not_found = true;
                r.errors.clear();
                return;
            }
        }
        for (auto& other : s.partners(org))
            if (other.name == p.name && (!id || other.id != *id) && !p.name.empty())
                r.errors.emplace("name", "partners_admin.error_name_taken");
        if (!r.errors.empty()) return;
        if (id) p.id = *id;
        r.id = save_journalled(
            s, org, actor, "partner", before ? &*before : nullptr, p, partner_json,
            [&](auto& v) { return s.insert_partner(v); }, [&](auto& v) { s.update_partner(v); });
    });
    return r;
}

AdminResult PartnerAdmin::save_site(Id org, Id partner, std::optional<Id> site, const Fields& f,
                                    const std::string& actor) {
    Form in{f, {}};
    store::PartnerSite x;
    x.organisation_id = org;
    x.partner_id = partner;
    x.name = in.text("name", true, 120);
    x.address = in.text("address", false, 200);
    x.postcode = in.text("postcode", false, 12);
    x.town = in.text("town", false, 120);
    x.timezone = in.zone("time_zone");
    x.accessibility = in.text("accessibility", false, 2000, true);
    x.step_free = in.flag("step_free");
    x.equipment = in.text("equipment", false, 2000, true);
    x.video_desk = in.flag("video_desk");
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        std::optional<store::PartnerSite> before;
        if (site) before = s.partner_site(org, *site);
        if (!s.partner(org, partner) || (site && (!before || before->partner_id != partner))) {
            r.not_found = true;
            return;
        }
        r.errors = in.errors;
        if (!r.errors.empty()) return;
        if (site) x.id = *site;
        r.id = save_journalled(
            s, org, actor, "partner_site", before ? &*before : nullptr, x, site_json,
            [&](auto& v) { return s.insert_partner_site(v); },
            [&](auto& v) { s.update_partner_site(v); });
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult PartnerAdmin::invite_staff(Id org, Id partner, const Fields& f,
                                       const std::string& actor, const std::string& lang) {
    Form in{f, {}};
    auto email = in.email("email", true);
    auto name = in.text("name", false, 120);
    AdminResult r;
    std::optional<store::Organisation> o;
    bool known = false;
    std::vector<store::Membership> held;
    booking_.store().read([&](store::Session& s) {
        o = s.organisation_by_id(org);
        known = o && s.partner(org, partner);
        if (auto a = email.empty() ? std::nullopt : s.account_by_email(email))
            for (auto& m : s.memberships(a->id))
                if (m.organisation_id == org) held.push_back(m);
    });
    if (!known || !accounts_) {
        r.not_found = true;
        return r;
    }
    // A person holds the partner role of one partner per organisation; staff of the
    // organisation (agents...) are not partner staff.
    for (auto& m : held)
        if (m.role != "partner" || (m.partner_id && *m.partner_id != partner))
            in.errors.emplace("email", "partners_admin.error_staff_elsewhere");
    r.errors = in.errors;
    if (!r.ok()) return r;
    auto account = accounts_->add_member(o->slug, email, "partner", name, actor, partner);
    r.id = account.id;
    booking_.store().write([&](store::Session& s) {
        journal(s, org, actor, "member", account.id, held.empty() ? "create" : "update", nullptr,
                json{{"email", account.email},
                     {"name", account.display_name},
                     {"roles", json::array({"partner"})},
                     {"partner", partner}});
    });
    if (!account.password_hash) accounts_->send_link(account.email, "invitation", actor, lang);
    return r;
}

AdminResult PartnerAdmin::grant_label(Id org, Id partner, const Fields& f,
                                      const std::string& actor) {
    Form in{f, {}};
    store::Convention c;
    c.organisation_id = org;
    c.partner_id = partner;
    auto signed_on = day_field(in, "signed_on", true);
    if (signed_on) c.signed_on = *signed_on;
    convention_terms(in, c);
    c.created_by = actor;
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        r.errors = in.errors;
        auto current = s.latest_convention(org, partner);
        if (current && !current->ended_on)
            r.errors.emplace("signed_on", "partners_admin.error_grant_live");
        if (!r.errors.empty()) return;
        c.id = s.insert_convention(c);
        store::LabelEvent e;
        e.partner_id = partner;
        e.organisation_id = org;
        e.convention_id = c.id;
        e.kind = "granted";
        e.actor = actor;
        s.insert_label_event(e);
        journal(s, org, actor, "convention", c.id, "create", nullptr, convention_json(c));
        journal(s, org, actor, "label", partner, "create", nullptr,
                json{{"convention", c.id}, {"state", "granted"}});
        r.id = c.id;
    });
    return r;
}

AdminResult PartnerAdmin::save_convention(Id org, Id partner, const Fields& f,
                                          const std::string& actor) {
    Form in{f, {}};
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        auto before = s.latest_convention(org, partner);
        if (!before || before->ended_on) {
            r.errors.emplace("convention", "partners_admin.error_no_convention");
            return;
        }
        auto c = *before;
        convention_terms(in, c);
        r.errors = in.errors;
        if (!r.errors.empty()) return;
        s.update_convention(c);
        journal(s, org, actor, "convention", c.id, "update", convention_json(*before),
                convention_json(c));
        r.id = c.id;
    });
    return r;
}

AdminResult PartnerAdmin::withdraw_label(Id org, Id partner, const Fields& f,
                                         const std::string& actor) {
    Form in{f, {}};
    auto ground = in.text("ground", true, 20);
    auto& g = grounds();
    if (!ground.empty() && std::find(g.begin(), g.end(), ground) == g.end())
        in.fail("ground", "invalid");
    auto reason = in.text("reason", true, 2000, true);
    auto day = today(org);
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        r.errors = in.errors;
        auto c = s.latest_convention(org, partner);
        if (label_state(s.label_events(org, partner), c) != "granted")
            r.errors.emplace("reason", "partners_admin.error_not_granted");
        if (!r.errors.empty()) return;
        store::LabelEvent e;
        e.partner_id = partner;
        e.organisation_id = org;
        e.convention_id = c->id;
        e.kind = "withdrawn";
        e.reason = ground + ": " + reason;
        e.actor = actor;
        s.insert_label_event(e);
        s.end_convention(org, c->id, day, "withdrawn");
        auto after = *c;
        after.ended_on = day;
        after.end_reason = "withdrawn";
        journal(s, org, actor, "convention", c->id, "update", convention_json(*c),
                convention_json(after));
        journal(s, org, actor, "label", partner, "update", json{{"state", "granted"}},
                json{{"state", "withdrawn"}, {"ground", ground}, {"reason", reason}});
        r.id = c->id;
    });
    return r;
}

AdminResult PartnerAdmin::add_action(Id org, Id partner, const Fields& f,
                                     const std::string& actor) {
    Form in{f, {}};
    store::ConventionAction a;
    a.organisation_id = org;
    a.item = in.text("item", true, 500);
    a.owner = in.text("owner", false, 120);
    a.due_on = day_field(in, "due_on", false);
    AdminResult r;
    booking_.store().write([&](store::Session& s) {
        if (!s.partner(org, partner)) {
            r.not_found = true;
            return;
        }
        r.errors = in.errors;
        auto c = s.latest_convention(org, partner);
        if (!c) r.errors.emplace("item", "partners_admin.error_no_convention");
        if (!r.errors.empty()) return;
        a.convention_id = c->id;
        a.id = s.insert_convention_action(a);
        journal(s, org, actor, "convention_action", a.id, "create", nullptr,
                json{{"convention", c->id},
                     {"item", a.item},
                     {"owner", a.owner},
                     {"due_on", day_json(a.due_on)}});
        r.id = a.id;
    });
    return r;
}

AdminResult PartnerAdmin::set_action_done(Id org, Id partner, Id action, bool done,
                                          const std::string& actor) {
    AdminResult r;
    r.id = action;
    auto now = booking_.clock().now();
    booking_.store().write([&](store::Session& s) {
        auto c = s.latest_convention(org, partner);
        std::optional<store::ConventionAction> found;
        if (c)
            for (auto& a : s.convention_actions(org, c->id))
                if (a.id == action) found = a;
        if (!s.partner(org, partner) || !found) {
            r.not_found = true;
            return;
        }
        s.set_convention_action_done(org, action,
                                     done ? std::optional<core::Instant>(now) : std::nullopt);
        journal(s, org, actor, "convention_action", action, "update",
                json{{"done", found->done_at.has_value()}}, json{{"done", done}});
    });
    return r;
}

}  // namespace vg::app
