// /console/admin/partners: see console_partners.hpp. A refused form comes back with 422,
// its values and the messages in the page's language, nothing written; another
// organisation's ids answer 404.
#include "web/console_partners.hpp"

#include "app/partner_hours.hpp"
#include "app/partners_admin.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"
#include "web/console_admin.hpp"
#include "web/partner_hours_view.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

app::Fields fields_of(const http::Params& form) {
    app::Fields f;
    for (auto& [k, v] : form) f[k] = v;
    return f;
}

std::string ymd(const std::optional<core::LocalDay>& d) {
    return d ? core::format_ymd(*d) : std::string();
}

class PartnerPages {
  public:
    explicit PartnerPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          admin_(ctx_.booking, ctx_.accounts),
          hours_(ctx_.booking, ctx_.i18n, ctx_.settings.link_base) {}

    template <class F>
    Response get(const Request& req, F f) {
        return gate_->with_staff(req, {"admin", "supervisor"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return f(staff, page);
        });
    }
    template <class F>
    Response post(const Request& req, F f) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return f(staff, page, fields_of(form));
        });
    }

    Response render(Page& page, const Staff& staff, int status, const std::string& tpl,
                    const std::string& title) {
        admin_navigation(page, staff, "partners");
        page.data()["can_write"] = staff.admin();
        return page.render(status, "admin/" + tpl, title);
    }

    // The values of form `name` (<name>_f_<field>, <name>_on_<field>) and its refusals
    // (<name>_error_<field>, and the summary linking to #<name>-<field>).
    static void fill(Page& page, const std::string& name, const app::Fields& f,
                     const core::FieldErrors& errors) {
        auto& d = page.data();
        for (auto& [k, v] : f) {
            d[name + "_f_" + k] = v;
            d[name + "_on_" + k] = v == "1" || v == "on";
        }
        mstch::array list;
        for (auto& [field, key] : errors) {
            auto msg = page.t(key);
            d[name + "_error_" + field] = msg;
            list.push_back(mstch::map{{"href", "#" + name + "-" + field},
                                      {"label", page.t("partners_admin.field_" + field)},
                                      {"message", msg}});
        }
        if (!list.empty()) {
            d["problems"] = list;
            d["has_problems"] = true;
        }
    }

    static std::string label_text(Page& page, const app::PartnerView& v) {
        return page.t("partners_admin.label_" + v.label);
    }

    // --- the list ----------------------------------------------------------------------

    Response list_page(Page& page, const Staff& staff, const app::Fields& f,
                       const core::FieldErrors& errors, int status) {
        mstch::array rows;
        for (auto& v : admin_.partners(staff.organisation_id))
            rows.push_back(mstch::map{
                {"id", std::to_string(v.partner.id)},
                {"name", v.partner.name},
                {"town", v.partner.town},
                {"label", label_text(page, v)},
                {"granted", v.label == "granted"},
                {"term_end", v.term ? page.format_date(v.term->last_day) : std::string()}});
        page.data()["partners"] = rows;
        page.data()["has_partners"] = !rows.empty();
        fill(page, "new", f, errors);
        return render(page, staff, status, "partners", page.t("partners_admin.title"));
    }

    Response list(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("saved")) page.data()["saved"] = true;
            return list_page(page, staff, {}, {}, 200);
        });
    }

    Response create(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f) {
            auto r = admin_.save_partner(staff.organisation_id, std::nullopt, f, staff.actor());
            if (!r.ok()) return list_page(page, staff, f, r.errors, 422);
            return Response::redirect("/console/admin/partners/" + std::to_string(r.id) +
                                      "?saved=1");
        });
    }

    // --- a partner's page --------------------------------------------------------------

    static app::Fields convention_fields(const store::Convention& c) {
        return {{"signed_on", core::format_ymd(c.signed_on)},
                {"term_months", std::to_string(c.term_months)},
                {"reporting_period", c.reporting_period},
                {"option_video_desk", c.option_video_desk ? "1" : ""},
                {"option_visio", c.option_visio ? "1" : ""},
                {"responsible_name", c.responsible_name},
                {"responsible_email", c.responsible_email},
                {"director_name", c.director_name},
                {"committee_on", ymd(c.committee_on)},
                {"visit_on", ymd(c.visit_on)},
                {"visit_findings", c.visit_findings}};
    }

    // `form`: the refused form (its values and errors replace the stored ones).
    Response partner_page(Request& req, Page& page, const Staff& staff, core::Id id,
                          const std::string& form, const app::Fields& f,
                          const core::FieldErrors& errors, int status) {
        auto v = admin_.partner(staff.organisation_id, id);
        if (!v) return gate_->not_found(req);
        auto& d = page.data();
        auto base = "/console/admin/partners/" + std::to_string(id);
        d["base"] = base;
        d["name"] = v->partner.name;
        d["label"] = label_text(page, *v);
        d["granted"] = v->label == "granted";
        fill(page, "partner",
             {{"name", v->partner.name},
              {"town", v->partner.town},
              {"responsible_name", v->partner.responsible_name},
              {"responsible_email", v->partner.responsible_email}},
             {});
        // Sites and staff.
        std::vector<store::PartnerSite> sites;
        std::vector<store::PartnerStaff> staff_list;
        std::vector<store::ConventionAction> actions;
        std::vector<store::LabelEvent> events;
        ctx_.booking.store().read([&](store::Session& s) {
            sites = s.partner_sites(staff.organisation_id, id);
            staff_list = s.partner_staff(staff.organisation_id, id);
            if (v->convention)
                actions = s.convention_actions(staff.organisation_id, v->convention->id);
            events = s.label_events(staff.organisation_id, id);
        });
        mstch::array site_rows;
        for (auto& x : sites)
            site_rows.push_back(mstch::map{{"href", base + "/sites/" + std::to_string(x.id)},
                                           {"name", x.name},
                                           {"town", x.town},
                                           {"step_free", x.step_free},
                                           {"video_desk", x.video_desk}});
        d["sites"] = site_rows;
        d["has_sites"] = !site_rows.empty();
        mstch::array people;
        for (auto& p : staff_list)
            people.push_back(mstch::map{{"email", p.account.email},
                                        {"name", p.account.display_name},
                                        {"invited", !p.account.password_hash},
                                        {"disabled", p.account.disabled_at.has_value()}});
        d["staff"] = people;
        d["has_staff"] = !people.empty();
        // The convention: its dates, or the grant form.
        bool live = v->live();
        d["live"] = live;
        if (v->convention) {
            auto& c = *v->convention;
            d["has_convention"] = true;
            d["signed_on"] = page.format_date(c.signed_on);
            if (c.ended_on) {
                d["ended_on"] = page.format_date(*c.ended_on);
                d["end_reason"] = page.t("partners_admin.end_" + c.end_reason);
            }
            if (v->term) {
                d["term_start"] = page.format_date(v->term->start);
                d["term_end"] = page.format_date(v->term->last_day);
                d["notice_deadline"] = page.format_date(v->term->notice_deadline);
            }
            if (live) fill(page, "convention", convention_fields(c), {});
        }
        if (!live) fill(page, "grant", {{"term_months", "12"}, {"reporting_period", "month"}}, {});
        mstch::array action_rows;
        for (auto& a : actions)
            action_rows.push_back(
                mstch::map{{"item", a.item},
                           {"owner", a.owner},
                           {"due", a.due_on ? page.format_date(*a.due_on) : std::string()},
                           {"done", a.done_at.has_value()},
                           {"href", base + "/actions/" + std::to_string(a.id) + "/done"}});
        d["actions"] = action_rows;
        d["has_actions"] = !action_rows.empty();
        mstch::array history;
        for (auto& e : events)
            history.push_back(
                mstch::map{{"at", page.format_datetime(e.at, core::zone_or_default(""))},
                           {"kind", page.t("partners_admin.event_" + e.kind)},
                           {"reason", e.reason}});
        d["history"] = history;
        d["has_history"] = !history.empty();
        mstch::array grounds;
        auto chosen = f.count("ground") && form == "withdraw" ? f.at("ground") : std::string();
        for (auto& g : app::PartnerAdmin::grounds())
            grounds.push_back(mstch::map{{"value", g},
                                         {"label", page.t("partners_admin.ground_" + g)},
                                         {"selected", chosen == g}});
        d["grounds"] = grounds;
        auto period = [&](const std::string& which) {
            mstch::array out;
            auto key = which + "_f_reporting_period";
            std::string cur = "month";
            if (auto it = d.find(key); it != d.end())
                if (auto* s = boost::get<std::string>(&it->second)) cur = *s;
            for (auto p : {"month", "quarter"})
                out.push_back(
                    mstch::map{{"value", std::string(p)},
                               {"label", page.t("partners_admin.period_" + std::string(p))},
                               {"selected", cur == p}});
            return out;
        };
        if (!form.empty()) fill(page, form, f, errors);
        d["grant_periods"] = period("grant");
        d["convention_periods"] = period("convention");
        if (req.q("saved")) d["saved"] = true;
        return render(page, staff, status, "partner", v->partner.name);
    }

    Response show(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            return partner_page(req, page, staff, *id, "", {}, {}, 200);
        });
    }

    // A POST of the partner's page: `form` names it; `write` returns the result.
    template <class W>
    Response partner_post(Request& req, const std::string& form, W write) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            app::AdminResult r = write(staff, *id, f, page);
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return partner_page(req, page, staff, *id, form, f, r.errors, 422);
            return Response::redirect("/console/admin/partners/" + std::to_string(*id) +
                                      "?saved=1");
        });
    }

    // --- sites ---------------------------------------------------------------------------

    // `refused`: a refused hours or closure form of the site (partner-hours).
    Response site_page(Request& req, Page& page, const Staff& staff, core::Id partner,
                       std::optional<core::Id> site, const app::Fields& f,
                       const core::FieldErrors& errors, int status,
                       const RefusedHoursForm& refused = {}) {
        auto v = admin_.partner(staff.organisation_id, partner);
        if (!v) return gate_->not_found(req);
        auto base = "/console/admin/partners/" + std::to_string(partner);
        page.data()["base"] = base;
        page.data()["partner_name"] = v->partner.name;
        page.data()["action"] = site ? base + "/sites/" + std::to_string(*site) : base + "/sites";
        // partner-hours: the site's opening hours, closures and the minimum's result.
        if (site) {
            auto h = hours_.site_hours(staff.organisation_id, partner, *site);
            if (!h) return gate_->not_found(req);
            fill_site_hours(page, ctx_.i18n, *h, base + "/sites/" + std::to_string(*site),
                            staff.admin(), refused);
            page.data()["has_hours"] = true;
        }
        fill(page, "site", f, errors);
        auto title = page.t(site ? "partners_admin.site_edit" : "partners_admin.site_new");
        page.data()["heading"] = title;
        return render(page, staff, status, "partner_site", title + " – " + v->partner.name);
    }

    Response site_form(Request& req, bool is_new) {
        return get(req, [&](Staff& staff, Page& page) {
            auto partner = StaffGate::id_param(req, "id");
            if (!partner) return gate_->not_found(req);
            if (is_new)
                return site_page(req, page, staff, *partner, std::nullopt,
                                 {{"time_zone", "Europe/Paris"}}, {}, 200);
            auto site = StaffGate::id_param(req, "site");
            std::optional<store::PartnerSite> x;
            if (site)
                ctx_.booking.store().read(
                    [&](store::Session& s) { x = s.partner_site(staff.organisation_id, *site); });
            if (!x || x->partner_id != *partner) return gate_->not_found(req);
            if (req.q("saved")) page.data()["saved"] = true;
            return site_page(req, page, staff, *partner, site, site_fields(*x), {}, 200);
        });
    }

    static app::Fields site_fields(const store::PartnerSite& x) {
        return {{"name", x.name},
                {"address", x.address},
                {"postcode", x.postcode},
                {"town", x.town},
                {"time_zone", x.timezone},
                {"accessibility", x.accessibility},
                {"step_free", x.step_free ? "1" : ""},
                {"equipment", x.equipment},
                {"video_desk", x.video_desk ? "1" : ""}};
    }

    // --- partner-hours: a POST of the site's hours or closures; `form` names it, `write`
    // returns the result. Refused: the site page again with 422.
    template <class W>
    Response hours_post(Request& req, const std::string& form, W write) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f) {
            auto partner = StaffGate::id_param(req, "id");
            auto site = StaffGate::id_param(req, "site");
            if (!partner || !site) return gate_->not_found(req);
            app::AdminResult r = write(staff, *partner, *site, f);
            if (r.not_found) return gate_->not_found(req);
            auto url = "/console/admin/partners/" + std::to_string(*partner) + "/sites/" +
                       std::to_string(*site);
            if (r.ok()) return Response::redirect(url + "?saved=1#hours");
            std::optional<store::PartnerSite> x;
            ctx_.booking.store().read(
                [&](store::Session& s) { x = s.partner_site(staff.organisation_id, *site); });
            if (!x) return gate_->not_found(req);
            return site_page(req, page, staff, *partner, site, site_fields(*x), {}, 422,
                             {form, f, r.errors});
        });
    }

    Response save_site(Request& req, bool is_new) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f) {
            auto partner = StaffGate::id_param(req, "id");
            std::optional<core::Id> site;
            if (!is_new) site = StaffGate::id_param(req, "site");
            if (!partner || (!is_new && !site)) return gate_->not_found(req);
            auto r = admin_.save_site(staff.organisation_id, *partner, site, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return site_page(req, page, staff, *partner, site, f, r.errors, 422);
            return Response::redirect("/console/admin/partners/" + std::to_string(*partner) +
                                      "?saved=1");
        });
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PartnerAdmin admin_;
    app::PartnerHours hours_;
};

}  // namespace

void register_partners_admin_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<PartnerPages>(gate);
    router.get("/console/admin/partners", [p](Request& r) { return p->list(r); });
    router.post("/console/admin/partners", [p](Request& r) { return p->create(r); });
    router.get("/console/admin/partners/{id}", [p](Request& r) { return p->show(r); });
    router.post("/console/admin/partners/{id}", [p](Request& r) {
        return p->partner_post(
            r, "partner", [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                return p->admin_.save_partner(s.organisation_id, id, f, s.actor());
            });
    });
    router.get("/console/admin/partners/{id}/sites/new",
               [p](Request& r) { return p->site_form(r, true); });
    router.post("/console/admin/partners/{id}/sites",
                [p](Request& r) { return p->save_site(r, true); });
    router.get("/console/admin/partners/{id}/sites/{site}",
               [p](Request& r) { return p->site_form(r, false); });
    router.post("/console/admin/partners/{id}/sites/{site}",
                [p](Request& r) { return p->save_site(r, false); });
    // partner-hours: the site's weekly hours and closures.
    router.post("/console/admin/partners/{id}/sites/{site}/hours", [p](Request& r) {
        return p->hours_post(
            r, "hours", [&](const Staff& s, core::Id partner, core::Id site, const app::Fields& f) {
                return p->hours_.save_hours(s.organisation_id, partner, site, f, s.actor());
            });
    });
    router.post("/console/admin/partners/{id}/sites/{site}/closures", [p](Request& r) {
        return p->hours_post(
            r, "closure",
            [&](const Staff& s, core::Id partner, core::Id site, const app::Fields& f) {
                return p->hours_.add_closure(s.organisation_id, partner, site, f, s.actor());
            });
    });
    router.post("/console/admin/partners/{id}/sites/{site}/closures/{closure}/delete",
                [p](Request& r) {
                    return p->hours_post(
                        r, "delete",
                        [&](const Staff& s, core::Id partner, core::Id site, const app::Fields&) {
                            auto closure = StaffGate::id_param(r, "closure");
                            if (!closure) {
                                app::AdminResult nf;
                                nf.not_found = true;
                                return nf;
                            }
                            return p->hours_.delete_closure(s.organisation_id, partner, site,
                                                            *closure, s.actor());
                        });
                });
    router.post("/console/admin/partners/{id}/staff", [p](Request& r) {
        return p->partner_post(
            r, "staff", [&](const Staff& s, core::Id id, const app::Fields& f, Page& page) {
                return p->admin_.invite_staff(s.organisation_id, id, f, s.actor(), page.lang());
            });
    });
    router.post("/console/admin/partners/{id}/label", [p](Request& r) {
        return p->partner_post(
            r, "grant", [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                return p->admin_.grant_label(s.organisation_id, id, f, s.actor());
            });
    });
    router.post("/console/admin/partners/{id}/convention", [p](Request& r) {
        return p->partner_post(
            r, "convention", [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                return p->admin_.save_convention(s.organisation_id, id, f, s.actor());
            });
    });
    router.post("/console/admin/partners/{id}/withdraw", [p](Request& r) {
        return p->partner_post(
            r, "withdraw", [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                return p->admin_.withdraw_label(s.organisation_id, id, f, s.actor());
            });
    });
    router.post("/console/admin/partners/{id}/actions", [p](Request& r) {
        return p->partner_post(r, "action",
                               [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                                   return p->admin_.add_action(s.organisation_id, id, f, s.actor());
                               });
    });
    router.post("/console/admin/partners/{id}/actions/{action}/done", [p](Request& r) {
        return p->partner_post(
            r, "done", [&](const Staff& s, core::Id id, const app::Fields& f, Page&) {
                auto action = StaffGate::id_param(r, "action");
                if (!action) {
                    app::AdminResult nf;
                    nf.not_found = true;
                    return nf;
                }
                auto it = f.find("done");
                bool done = it == f.end() || it->second != "0";
                return p->admin_.set_action_done(s.organisation_id, id, *action, done, s.actor());
            });
    });
}

}  // namespace vg::web
