// /partner/: see partner_pages.hpp. A refused form comes back with 422, its answers and the
// messages in the page's language, nothing written; another partner's ids answer 404.
#include "web/partner_pages.hpp"

#include "app/partner_screens.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"
#include "web/console_admin.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

std::string replace_date(std::string text, const std::string& date) {
    if (auto at = text.find("{date}"); at != std::string::npos) text.replace(at, 6, date);
    return text;
}

template <class E>
std::string label_of(Page& page, E e) {
    return page.t(core::label_key(e));
}

// One table of counts: caption, a row per code and the visit count.
template <class E>
mstch::map count_table(Page& page, const std::string& caption, const core::Counts<E>& counts) {
    mstch::array rows;
    for (auto e : core::all_values<E>())
        rows.push_back(
            mstch::map{{"label", label_of(page, e)}, {"count", std::to_string(counts[e])}});
    return mstch::map{{"caption", caption}, {"rows", rows}};
}

// The Annexe 2 tables of a report (templates/partner/_report.mustache): shared by the
// partner's page and the organisation's view.
void report_tables(Page& page, const core::VisitReport& r) {
    auto& d = page.data();
    d["report_visits"] = std::to_string(r.visits);
    mstch::array tables{count_table(page, page.t("partner_visit.field.sex"), r.sex),
                        count_table(page, page.t("partner_visit.field.age_band"), r.age_band),
                        count_table(page, page.t("partner_visit.field.allocataire"), r.allocataire),
                        count_table(page, page.t("partner_visit.field.autonomy"), r.autonomy),
                        count_table(page, page.t("partner_visit.field.resolved"), r.resolved),
                        count_table(page, page.t("partner_visit.themes_heading"), r.theme),
                        count_table(page, page.t("partner.by_group"), r.group_visits),
                        count_table(page, page.t("partner.by_action"), r.action_visits)};
    d["report_tables"] = tables;
    mstch::array actions;
    for (auto a : core::all_values<core::Action>())
        actions.push_back(mstch::map{{"label", label_of(page, a)}});
    d["grid_actions"] = actions;
    mstch::array groups;
    for (auto g : core::all_values<core::RequestGroup>()) {
        mstch::array rows;
        for (auto q : core::requests_of(g)) {
            mstch::array cells;
            for (auto a : core::all_values<core::Action>())
                cells.push_back(mstch::map{{"count", std::to_string(r.cell(q, a))}});
            rows.push_back(mstch::map{{"label", label_of(page, q)},
                                      {"cells", cells},
                                      {"total", std::to_string(r.row_cells(q))},
                                      {"visits", std::to_string(r.request_visits[q])}});
        }
        groups.push_back(mstch::map{{"label", label_of(page, g)},
                                    {"visits", std::to_string(r.group_visits[g])},
                                    {"rows", rows}});
    }
    d["grid_groups"] = groups;
    mstch::array totals;
    for (auto a : core::all_values<core::Action>())
        totals.push_back(mstch::map{{"count", std::to_string(r.column_cells(a))}});
    d["grid_totals"] = totals;
    d["grid_total"] = std::to_string(r.cells());
}

// A radio group of the visit form: name, legend, options with the answer kept.
template <class E>
mstch::map radio_group(Page& page, const core::VisitForm& form, const core::FieldErrors& errors) {
    std::string name(core::Codes<E>::kind);
    auto it = form.find(name);
    std::string chosen = it == form.end() ? std::string() : it->second;
    mstch::array options;
    for (auto e : core::all_values<E>()) {
        std::string value(core::code(e));
        options.push_back(mstch::map{{"id", "visit-" + name + "-" + value},
                                     {"value", value},
                                     {"label", label_of(page, e)},
                                     {"checked", chosen == value}});
    }
    mstch::map g{{"name", name},
                 {"id", "visit-" + name},
                 {"legend", page.t("partner_visit.field." + name)},
                 {"options", options}};
    if (auto e = errors.find(name); e != errors.end()) g["error"] = page.t(e->second);
    return g;
}

bool has_value(const core::VisitForm& form, const std::string& name, const std::string& value) {
    auto [a, b] = form.equal_range(name);
    for (auto it = a; it != b; ++it)
        if (it->second == value) return true;
    return false;
}

class PartnerPages {
  public:
    explicit PartnerPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()), screens_(ctx_.booking) {}

    template <class F>
    Response get(const Request& req, F f) {
        return gate_->with_partner(req, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            page.data()["org_label"] = staff.organisation_name;
            return f(staff, page);
        });
    }
    template <class F>
    Response post(const Request& req, F f) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_partner(req, form, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            page.data()["org_label"] = staff.organisation_name;
            return f(staff, page, form);
        });
    }

    static Response no_store(Response res) {
        res.header("Cache-Control", "no-store");
        return res;
    }

    // --- home --------------------------------------------------------------------------

    Response home(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto h = screens_.home(staff.organisation_id, *staff.partner_id);
            if (!h) return gate_->not_found(req);
            auto& d = page.data();
            d["name"] = h->view.partner.name;
            d["town"] = h->view.partner.town;
            d["person"] = staff.name();
            mstch::array sites;
            for (auto& x : h->sites)
                sites.push_back(mstch::map{{"name", x.name},
                                           {"address", x.address},
                                           {"postcode", x.postcode},
                                           {"town", x.town}});
            d["sites"] = sites;
            d["has_sites"] = !sites.empty();
            d["label"] = page.t("partners_admin.label_" + h->view.label);
            d["granted"] = h->view.label == "granted";
            if (h->view.last_label && h->view.label == "withdrawn")
                d["withdrawn_on"] =
                    page.format_datetime(h->view.last_label->at, core::zone_or_default(""));
            if (h->view.term) {
                d["term_end"] = page.format_date(h->view.term->last_day);
                d["notice_deadline"] = page.format_date(h->view.term->notice_deadline);
            }
            if (h->view.convention) {
                d["has_convention"] = true;
                d["period_kind"] = page.t("partner.period_" + h->view.convention->reporting_period);
            }
            if (h->current) {
                d["current_period"] = h->current->label();
                d["current_href"] = "/partner/reports/" + h->current->label();
            }
            mstch::array due;
            bool any_late = false;
            for (auto it = h->due.rbegin(); it != h->due.rend(); ++it) {
                auto& x = *it;
                std::string state = x.report ? (x.report->late ? "submitted_late" : "submitted")
                                             : (x.overdue ? "overdue" : "to_submit");
                any_late = any_late || x.overdue;
                due.push_back(mstch::map{{"period", x.period.label()},
                                         {"href", "/partner/reports/" + x.period.label()},
                                         {"deadline", page.format_date(x.period.deadline())},
                                         {"state", page.t("partner.state_" + state)},
                                         {"late", x.overdue || (x.report && x.report->late)}});
            }
            d["due"] = due;
            d["has_due"] = !due.empty();
            d["any_late"] = any_late;
            // partner-caf: the trainings the CAF recorded for this partner (art. 3 and 4).
            mstch::array trainings;
            std::vector<store::PartnerTraining> list;
            ctx_.booking.store().read([&](store::Session& s) {
                list = s.partner_trainings(staff.organisation_id, *staff.partner_id);
            });
            for (auto& t : list)
                trainings.push_back(mstch::map{{"person", t.person},
                                               {"title", t.title},
                                               {"kind", page.t("partner_caf.kind_" + t.kind)},
                                               {"on", page.format_date(t.attended_on)}});
            d["trainings"] = trainings;
            d["has_trainings"] = !trainings.empty();
            return page.render(200, "partner/home", h->view.partner.name);
        });
    }

    Response certificate(Request& req) {
        return get(req, [&](Staff& staff, Page&) {
            auto c = screens_.certificate(staff.organisation_id, *staff.partner_id,
                                          staff.organisation_name);
            if (!c) return gate_->not_found(req);
            // French: the certificate hangs in a French partner's hall (text/certificate_pdf).
            c->fields.date = ctx_.i18n.format_date("fr", core::day_parts(c->signed_on));
            Response res;
            res.status = 200;
            res.content_type = "application/pdf";
            res.body = text::certificate_pdf(c->fields);
            res.header("Content-Disposition",
                       "attachment; filename=\"certificat-point-numerique.pdf\"");
            return no_store(std::move(res));
        });
    }

    // --- visits ------------------------------------------------------------------------

    Response visit_page(Page& page, const Staff& staff, const core::VisitForm& form,
                        const core::FieldErrors& errors, int status) {
        auto org = staff.organisation_id;
        auto partner = *staff.partner_id;
        auto& d = page.data();
        auto sites = screens_.sites(org, partner);
        d["has_no_site"] = sites.empty();
        auto value = [&](const std::string& name) {
            auto it = form.find(name);
            return it == form.end() ? std::string() : it->second;
        };
        if (sites.size() > 1) {
            mstch::array options;
            auto chosen = value("site");
            for (auto& x : sites)
                options.push_back(mstch::map{{"value", std::to_string(x.id)},
                                             {"label", x.name},
                                             {"selected", chosen == std::to_string(x.id)}});
            d["site_options"] = options;
            d["many_sites"] = true;
        }
        auto day = value("day");
        if (day.empty() && !sites.empty()) day = core::format_ymd(screens_.today_at(sites.front()));
        d["day"] = day;
        d["radio_groups"] = mstch::array{radio_group<core::Sex>(page, form, errors),
                                         radio_group<core::AgeBand>(page, form, errors),
                                         radio_group<core::Allocataire>(page, form, errors),
                                         radio_group<core::Autonomy>(page, form, errors),
                                         radio_group<core::Resolved>(page, form, errors)};
        mstch::array actions;
        for (auto a : core::all_values<core::Action>())
            actions.push_back(mstch::map{{"label", label_of(page, a)},
                                         {"id", "action-" + std::string(core::code(a))}});
        d["grid_actions"] = actions;
        mstch::array groups;
        for (auto g : core::all_values<core::RequestGroup>()) {
            mstch::array rows;
            for (auto q : core::requests_of(g)) {
                mstch::array cells;
                std::string row_id = "request-" + std::string(core::code(q));
                for (auto a : core::all_values<core::Action>()) {
                    auto v = core::cell_code({q, a});
                    cells.push_back(mstch::map{
                        {"id",
                         "cell-" + std::string(core::code(q)) + "-" + std::string(core::code(a))},
                        {"value", v},
                        {"labelledby", row_id + " action-" + std::string(core::code(a))},
                        {"checked", has_value(form, "cell", v)}});
                }
                rows.push_back(
                    mstch::map{{"id", row_id}, {"label", label_of(page, q)}, {"cells", cells}});
            }
            groups.push_back(mstch::map{{"label", label_of(page, g)},
                                        {"span", std::to_string(core::kCount<core::Action> + 1)},
                                        {"rows", rows}});
        }
        d["grid_groups"] = groups;
        mstch::array themes;
        for (auto t : core::all_values<core::Theme>()) {
            std::string v(core::code(t));
            themes.push_back(mstch::map{{"id", "visit-theme-" + v},
                                        {"value", v},
                                        {"label", label_of(page, t)},
                                        {"checked", has_value(form, "theme", v)}});
        }
        d["themes"] = themes;
        // The refusals: by field, and the summary linking to each.
        mstch::array problems;
        for (auto& [field, key] : errors) {
            auto msg = page.t(key);
            d["error_" + field] = msg;
            std::string href = field == "cell"   ? "#visit-grid"
                               : field == "site" ? "#visit-site"
                               : field == "day"  ? "#visit-day"
                                                 : "#visit-" + field;
            auto label_key = field == "site"  ? std::string("partner.site")
                             : field == "day" ? std::string("partner.day")
                                              : "partner_visit.field." + field;
            problems.push_back(
                mstch::map{{"href", href}, {"label", page.t(label_key)}, {"message", msg}});
        }
        d["problems"] = problems;
        d["has_problems"] = !problems.empty();
        // The period's visits, newest first, with a delete for today's.
        auto kind = screens_.period_kind(org, partner);
        auto period = core::period_of(kind, screens_.today(org));
        d["period"] = period.label();
        d["report_href"] = "/partner/reports/" + period.label();
        std::map<core::Id, std::pair<std::string, core::LocalDay>> site_of;
        for (auto& x : sites) site_of[x.id] = {x.name, screens_.today_at(x)};
        mstch::array visits;
        auto list = screens_.visits(org, partner, period);
        for (auto it = list.rbegin(); it != list.rend(); ++it) {
            auto s = site_of.find(it->partner_site_id);
            bool today = s != site_of.end() && s->second.second == it->day;
            visits.push_back(mstch::map{
                {"day", page.format_date(it->day)},
                {"site", s != site_of.end() ? s->second.first : std::string()},
                {"sex", label_of(page, it->visit.sex)},
                {"age_band", label_of(page, it->visit.age_band)},
                {"resolved", label_of(page, it->visit.resolved)},
                {"deletable", today},
                {"delete_href", "/partner/visits/" + std::to_string(it->id) + "/delete"}});
        }
        d["visits"] = visits;
        d["has_visits"] = !visits.empty();
        d["visit_count"] = std::to_string(visits.size());
        d["many_sites_list"] = sites.size() > 1;
        return page.render(status, "partner/visits", page.t("partner.visit_title"));
    }

    Response visit_form(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("saved")) page.data()["saved"] = true;
            if (req.q("deleted")) page.data()["deleted"] = true;
            core::VisitForm keep;
            // The site chosen for the last visit stays chosen (many visits in a row).
            if (auto s = req.q("site")) keep.emplace("site", *s);
            if (auto d = req.q("day"); d && core::parse_ymd(*d)) keep.emplace("day", *d);
            return visit_page(page, staff, keep, {}, 200);
        });
    }

    Response log_visit(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const http::Params& form) {
            core::VisitForm f(form.begin(), form.end());
            auto r =
                screens_.log_visit(staff.organisation_id, *staff.partner_id, staff.account_id(), f);
            if (!r.ok()) return visit_page(page, staff, f, r.errors, 422);
            // The next visit keeps the site and a day other than today (visits logged
            // afterwards in a row); both were checked above, so they are plain values.
            auto site = form_value(form, "site");
            auto day = form_value(form, "day");
            std::string next = "/partner/visits/new?saved=1";
            if (!site.empty()) next += "&site=" + site;
            if (auto d = core::parse_ymd(day); d && *d != screens_.today(staff.organisation_id))
                next += "&day=" + core::format_ymd(*d);
            return Response::redirect(next);
        });
    }

    Response delete_visit(Request& req) {
        return post(req, [&](Staff& staff, Page&, const http::Params&) {
            auto id = StaffGate::id_param(req, "id");
            if (!id || !screens_.delete_visit(staff.organisation_id, *staff.partner_id, *id))
                return gate_->not_found(req);
            return Response::redirect("/partner/visits/new?deleted=1");
        });
    }

    // --- reports -----------------------------------------------------------------------

    // The report page of either side: `partner_view` adds the submit form.
    void report_data(Page& page, const app::ReportView& v) {
        auto& d = page.data();
        d["period"] = v.period.label();
        d["first_day"] = page.format_date(v.period.first_day());
        d["last_day"] = page.format_date(v.period.last_day());
        d["deadline"] = page.format_date(v.period.deadline());
        report_tables(page, v.report);
        if (v.submitted) {
            d["submitted"] = true;
            d["submitted_at"] =
                page.format_datetime(v.submitted->submitted_at, core::zone_or_default(""));
            d["submitted_late"] = v.submitted->late;
            d["comment"] = v.submitted->comment;
        }
    }

    Response report_page(Request& req, Page& page, const Staff& staff, const std::string& comment,
                         const core::FieldErrors& errors, int status) {
        auto label = req.path_param("period").value_or("");
        auto v = screens_.report(staff.organisation_id, *staff.partner_id, label);
        if (!v) return gate_->not_found(req);
        report_data(page, *v);
        auto& d = page.data();
        d["action"] = "/partner/reports/" + v->period.label();
        d["submittable"] = v->submittable;
        d["late_now"] = v->late_now && v->submittable;
        d["not_yet"] = !v->submitted && !v->submittable;
        d["comment_value"] = comment;
        mstch::array problems;
        for (auto& [field, key] : errors) {
            d["error_" + field] = page.t(key);
            problems.push_back(
                mstch::map{{"href", field == "comment" ? "#report-comment" : "#report-submit"},
                           {"label", page.t("partner.report_" + field)},
                           {"message", page.t(key)}});
        }
        d["problems"] = problems;
        d["has_problems"] = !problems.empty();
        if (req.q("submitted")) d["just_submitted"] = true;
        auto title = replace_date(page.t("partner.report_title"), v->period.label());
        d["heading"] = title;
        return page.render(status, "partner/report", title);
    }

    Response report(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            return report_page(req, page, staff, "", {}, 200);
        });
    }

    Response submit(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const http::Params& form) {
            auto label = req.path_param("period").value_or("");
            auto comment = form_value(form, "comment");
            auto r = screens_.submit_report(staff.organisation_id, *staff.partner_id,
                                            staff.account_id(), label, comment);
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return report_page(req, page, staff, comment, r.errors, 422);
            return Response::redirect("/partner/reports/" + label + "?submitted=1");
        });
    }

    // The organisation's supervisors and administrators read a submitted report.
    Response admin_report(Request& req) {
        return gate_->with_staff(req, {"admin", "supervisor"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            std::optional<store::Partner> p;
            ctx_.booking.store().read(
                [&](store::Session& s) { p = s.partner(staff.organisation_id, *id); });
            if (!p) return gate_->not_found(req);
            auto v =
                screens_.report(staff.organisation_id, *id, req.path_param("period").value_or(""));
            if (!v || !v->submitted) return gate_->not_found(req);
            report_data(page, *v);
            admin_navigation(page, staff, "partners");
            auto title = replace_date(page.t("partner.report_title"), v->period.label());
            page.data()["heading"] = title;
            page.data()["partner_name"] = p->name;
            page.data()["partner_href"] = "/console/admin/partners/" + std::to_string(*id);
            return page.render(200, "partner/admin_report", title + " – " + p->name);
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PartnerScreens screens_;
};

}  // namespace

void register_partner_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<PartnerPages>(gate);
    router.get("/partner", [](Request&) { return Response::redirect("/partner/", 301); });
    router.get("/partner/", [p](Request& r) { return p->home(r); });
    router.get("/partner/certificate.pdf", [p](Request& r) { return p->certificate(r); });
    router.get("/partner/visits/new", [p](Request& r) { return p->visit_form(r); });
    router.post("/partner/visits", [p](Request& r) { return p->log_visit(r); });
    router.post("/partner/visits/{id}/delete", [p](Request& r) { return p->delete_visit(r); });
    router.get("/partner/reports/{period}", [p](Request& r) { return p->report(r); });
    router.post("/partner/reports/{period}", [p](Request& r) { return p->submit(r); });
    router.get("/console/admin/partners/{id}/reports/{period}",
               [p](Request& r) { return p->admin_report(r); });
}

}  // namespace vg::web
