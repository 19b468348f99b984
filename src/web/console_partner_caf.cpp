// /console/partners: see console_partner_caf.hpp. The page, the CSV and the XLSX take their
// lines from the same cells (overview_cells, report_cells), as the statistics' exports do.
#include "web/console_partner_caf.hpp"

#include "app/partner_caf.hpp"
#include "core/timefmt.hpp"
#include "stats/export.hpp"
#include "stats/xlsx.hpp"
#include "text/i18n.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

stats::Cell text_cell(std::string s) {
    stats::Cell c;
    c.text = std::move(s);
    return c;
}
stats::Cell number_cell(int n) {
    stats::Cell c;
    c.type = stats::Cell::Type::number;
    c.number = n;
    c.text = std::to_string(n);
    return c;
}
stats::Cell optional_number(const std::optional<int>& n) {
    if (!n) {
        stats::Cell c;
        c.type = stats::Cell::Type::blank;
        return c;
    }
    return number_cell(*n);
}

std::string percent_text(const std::optional<int>& p) {
    return p ? std::to_string(*p) + " %" : std::string("–");
}

class CafPages {
  public:
    explicit CafPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          caf_(ctx_.booking, ctx_.i18n, ctx_.settings.link_base) {}

    template <class F>
    Response get(const Request& req, F f) {
        return gate_->with_staff(req, {"admin", "supervisor"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return f(staff, page);
        });
    }

    const date::time_zone* zone(core::Id org) {
        std::optional<store::Organisation> o;
        ctx_.booking.store().read([&](store::Session& s) { o = s.organisation_by_id(org); });
        return core::zone_or_default(o ? o->default_time_zone : "");
    }

    // --- texts shared by the page and the exports ---------------------------------------

    static std::string label_text(Page& page, const app::PartnerOverview& o) {
        return page.t("partners_admin.label_" + o.view.label);
    }
    // The live convention's term end, else the ended convention's end ("ended on ..."); the
    // page writes dates in its language, the exports as YYYY-MM-DD.
    static std::string term_end(Page& page, const app::PartnerOverview& o, bool iso) {
        auto day = [&](core::LocalDay d) {
            return iso ? core::format_ymd(d) : page.format_date(d);
        };
        if (o.view.term) return day(o.view.term->last_day);
        if (o.view.convention && o.view.convention->ended_on)
            return page.t("partner_caf.ended_on") + " " + day(*o.view.convention->ended_on);
        return "";
    }
    static std::string report_state(Page& page, const app::ReportRow& r) {
        if (r.report) return page.t(r.report->late ? "partner_caf.late" : "partner_caf.on_time");
        return page.t(r.overdue ? "partner_caf.overdue" : "partner_caf.not_due");
    }
    static std::string submitted_on(Page& page, const app::ReportRow& r, const date::time_zone* z,
                                    bool iso) {
        if (!r.report) return "";
        auto d = core::local_day_of(r.report->submitted_at, z);
        return iso ? core::format_ymd(d) : page.format_date(d);
    }

    // --- the overview's lines ----------------------------------------------------------

    std::vector<std::string> overview_columns(Page& page,
                                              const std::vector<core::ReportPeriod>& months) {
        std::vector<std::string> c;
        for (auto k : {"col_partner", "col_town", "col_label", "col_term_end", "col_hours",
                       "col_last_report", "col_last_state", "col_overdue", "col_visits",
                       "col_resolved", "col_bookings", "col_needing_training", "col_update_day"})
            c.push_back(page.t(std::string("partner_caf.") + k));
        for (auto& m : months) c.push_back(m.label());
        return c;
    }
    std::vector<stats::Cell> overview_cells(Page& page, const app::PartnerOverview& o) {
        std::vector<stats::Cell> c;
        c.push_back(text_cell(o.view.partner.name));
        c.push_back(text_cell(o.view.partner.town));
        c.push_back(text_cell(label_text(page, o)));
        c.push_back(text_cell(term_end(page, o, true)));
        c.push_back(text_cell(page.t("partner_caf.hours_" + o.hours)));
        c.push_back(text_cell(o.last_report ? o.last_report->period.label() : ""));
        c.push_back(text_cell(o.last_report ? report_state(page, *o.last_report) : ""));
        c.push_back(number_cell(o.overdue));
        c.push_back(number_cell(o.visits));
        c.push_back(optional_number(app::resolved_percent(o.resolved, o.visits)));
        c.push_back(number_cell(o.bookings_on_behalf));
        c.push_back(number_cell(int(o.needing_training.size())));
        c.push_back(text_cell(o.last_update_day ? core::format_ymd(*o.last_update_day) : ""));
        for (int n : o.visits_by_month) c.push_back(number_cell(n));
        return c;
    }

    std::vector<std::string> report_columns(Page& page) {
        std::vector<std::string> c;
        for (auto k : {"col_partner", "col_period", "col_period_visits", "col_resolved_visits",
                       "col_resolved", "col_submitted_on", "col_state"})
            c.push_back(page.t(std::string("partner_caf.") + k));
        return c;
    }
    std::vector<stats::Cell> report_cells(Page& page, const app::PartnerOverview& o,
                                          const app::ReportRow& r, const date::time_zone* z) {
        return {text_cell(o.view.partner.name),
                text_cell(r.period.label()),
                number_cell(r.visits),
                number_cell(r.resolved),
                optional_number(app::resolved_percent(r.resolved, r.visits)),
                text_cell(submitted_on(page, r, z, true)),
                text_cell(report_state(page, r))};
    }

    static Response file(std::string body, bool xlsx, const std::string& name) {
        Response res;
        res.status = 200;
        res.content_type = xlsx
                               ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "text/csv; charset=utf-8";
        res.body = std::move(body);
        res.header("Content-Disposition",
                   "attachment; filename=\"" + name + (xlsx ? ".xlsx\"" : ".csv\""));
        res.header("Cache-Control", "no-store");
        return res;
    }
    static std::string write(const std::vector<std::string>& columns,
                             const std::vector<std::vector<stats::Cell>>& lines, bool xlsx) {
        if (xlsx) {
            stats::XlsxWriter w(columns);
            for (auto& l : lines) w.add(l);
            return w.finish();
        }
        auto body = stats::csv_header(columns);
        for (auto& l : lines) body += stats::csv_line(l);
        return body;
    }

    // --- routes ------------------------------------------------------------------------

    Response overview(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto months = caf_.months(staff.organisation_id);
            auto list = caf_.overview(staff.organisation_id);
            auto& d = page.data();
            mstch::array rows, visit_rows, month_heads;
            for (auto& m : months) month_heads.push_back(mstch::map{{"label", m.label()}});
            for (auto& o : list) {
                auto id = std::to_string(o.view.partner.id);
                rows.push_back(mstch::map{
                    {"href", "/console/partners/" + id},
                    {"name", o.view.partner.name},
                    {"town", o.view.partner.town},
                    {"label", label_text(page, o)},
                    {"archived", o.view.partner.archived_at.has_value()},
                    {"term_end", term_end(page, o, false)},
                    {"hours", page.t("partner_caf.hours_" + o.hours)},
                    {"hours_bad", o.hours == "not_met"},
                    {"has_last", o.last_report.has_value()},
                    {"last_period", o.last_report ? o.last_report->period.label() : ""},
                    {"last_state", o.last_report ? report_state(page, *o.last_report) : ""},
                    {"last_late", o.last_report && o.last_report->report->late},
                    {"overdue", std::to_string(o.overdue)},
                    {"has_overdue", o.overdue > 0},
                    {"visits", std::to_string(o.visits)},
                    {"resolved", percent_text(app::resolved_percent(o.resolved, o.visits))},
                    {"bookings", std::to_string(o.bookings_on_behalf)},
                    {"needing", std::to_string(o.needing_training.size())},
                    {"has_needing", !o.needing_training.empty()},
                    {"update_day",
                     o.last_update_day ? page.format_date(*o.last_update_day) : std::string("–")}});
                mstch::array counts;
                for (int n : o.visits_by_month)
                    counts.push_back(mstch::map{{"n", std::to_string(n)}});
                visit_rows.push_back(mstch::map{{"name", o.view.partner.name}, {"counts", counts}});
            }
            d["partners"] = rows;
            d["visit_rows"] = visit_rows;
            d["months"] = month_heads;
            d["has_partners"] = !rows.empty();
            d["can_admin"] = staff.admin();
            return page.render(200, "console/partner_caf_overview", page.t("partner_caf.title"));
        });
    }

    Response overview_file(Request& req, bool xlsx) {
        return get(req, [&](Staff& staff, Page& page) {
            std::vector<std::vector<stats::Cell>> lines;
            for (auto& o : caf_.overview(staff.organisation_id))
                lines.push_back(overview_cells(page, o));
            return file(
                write(overview_columns(page, caf_.months(staff.organisation_id)), lines, xlsx),
                xlsx, "partners");
        });
    }

    Response partner(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto id = StaffGate::id_param(req, "id");
            if (req.q("done")) page.data()["done"] = true;
            return partner_page(req, page, staff, id, {}, {}, 200);
        });
    }

    // The end of a partnership (administrators): the notice, the staff, the sites, the
    // partner itself. `f`/`errors`: a refused notice form.
    void fill_end(Page& page, const Staff& staff, core::Id id, const app::PartnerOverview& o,
                  const app::Fields& f, const core::FieldErrors& errors) {
        auto& d = page.data();
        auto org = staff.organisation_id;
        if (auto n = caf_.notice(org, id)) {
            d["has_notice"] = true;
            d["notice_on"] = page.format_date(n->given_on);
            d["notice_by"] = page.t("partner_caf.by_" + n->given_by);
            d["notice_ends"] = page.format_date(n->ends_on);
        } else if (o.view.live()) {
            d["can_notice"] = true;
        }
        for (auto& [k, v] : f) d["notice_f_" + k] = v;
        d["notice_by_caf"] = f.count("by") && f.at("by") == "caf";
        d["notice_by_partner"] = f.count("by") && f.at("by") == "partner";
        mstch::array problems;
        for (auto& [field, key] : errors) {
            d["notice_error_" + field] = page.t(key);
            auto form = f.count("form") && f.at("form") == "training" ? "#training-" : "#notice-";
            problems.push_back(mstch::map{{"href", form + field}, {"message", page.t(key)}});
        }
        d["problems"] = problems;
        d["has_problems"] = !problems.empty();
        std::vector<store::PartnerStaff> people;
        std::vector<store::PartnerSite> sites;
        ctx_.booking.store().read([&](store::Session& s) {
            people = s.partner_staff(org, id);
            sites = s.partner_sites(org, id);
        });
        auto base = "/console/partners/" + std::to_string(id);
        mstch::array staff_rows, site_rows;
        for (auto& p : people)
            staff_rows.push_back(mstch::map{
                {"email", p.account.email},
                {"name", p.account.display_name},
                {"action", base + "/staff/" + std::to_string(p.account.id) + "/remove"}});
        for (auto& x : sites)
            site_rows.push_back(
                mstch::map{{"name", x.name},
                           {"archived", x.archived_at.has_value()},
                           {"action", base + "/sites/" + std::to_string(x.id) + "/archive"}});
        d["end_staff"] = staff_rows;
        d["has_end_staff"] = !staff_rows.empty();
        d["end_sites"] = site_rows;
        d["has_end_sites"] = !site_rows.empty();
        d["archived"] = o.view.partner.archived_at.has_value();
        d["can_archive"] = !o.view.partner.archived_at && !o.view.live();
    }

    // The trainings (art. 3 and 4): who needs one, the list, and the form (administrators).
    void fill_trainings(Page& page, const Staff& staff, core::Id id, const app::PartnerOverview& o,
                        const app::Fields& f, const core::FieldErrors& errors) {
        auto& d = page.data();
        mstch::array needing, list, people;
        for (auto& a : o.needing_training)
            needing.push_back(
                mstch::map{{"name", a.display_name.empty() ? a.email : a.display_name}});
        d["needing"] = needing;
        d["has_needing"] = !needing.empty();
        d["update_day"] = o.last_update_day ? page.format_date(*o.last_update_day) : "";
        for (auto& t : caf_.trainings(staff.organisation_id, id))
            list.push_back(mstch::map{{"person", t.person},
                                      {"title", t.title},
                                      {"kind", page.t("partner_caf.kind_" + t.kind)},
                                      {"on", page.format_date(t.attended_on)}});
        d["trainings"] = list;
        d["has_trainings"] = !list.empty();
        if (!staff.admin()) return;
        std::vector<store::PartnerStaff> staff_list;
        ctx_.booking.store().read(
            [&](store::Session& s) { staff_list = s.partner_staff(staff.organisation_id, id); });
        auto chosen = f.count("account") ? f.at("account") : std::string();
        for (auto& p : staff_list)
            people.push_back(
                mstch::map{{"value", std::to_string(p.account.id)},
                           {"label", p.account.display_name.empty()
                                         ? p.account.email
                                         : p.account.display_name + " – " + p.account.email},
                           {"selected", chosen == std::to_string(p.account.id)}});
        d["training_people"] = people;
        for (auto& [k, v] : f) d["training_f_" + k] = v;
        d["training_kind_update"] = f.count("kind") && f.at("kind") == "update";
        for (auto& [field, key] : errors) d["training_error_" + field] = page.t(key);
    }

    Response partner_page(Request& req, Page& page, const Staff& staff, std::optional<core::Id> id,
                          const app::Fields& f, const core::FieldErrors& errors, int status) {
        {
            auto o = id ? caf_.partner(staff.organisation_id, *id) : std::nullopt;
            if (!o) return gate_->not_found(req);
            auto z = zone(staff.organisation_id);
            auto base = "/console/partners/" + std::to_string(*id);
            auto& d = page.data();
            d["base"] = base;
            d["name"] = o->view.partner.name;
            d["label"] = label_text(page, *o);
            d["term_end"] = term_end(page, *o, false);
            d["hours"] = page.t("partner_caf.hours_" + o->hours);
            d["bookings"] = std::to_string(o->bookings_on_behalf);
            d["can_admin"] = staff.admin();
            d["admin_href"] = "/console/admin/partners/" + std::to_string(*id);
            mstch::array rows;
            // Newest first on the page.
            for (auto it = o->reports.rbegin(); it != o->reports.rend(); ++it) {
                auto& r = *it;
                rows.push_back(mstch::map{
                    {"period", r.period.label()},
                    {"href", r.report ? "/console/admin/partners/" + std::to_string(*id) +
                                            "/reports/" + r.period.label()
                                      : std::string()},
                    {"visits", std::to_string(r.visits)},
                    {"resolved", percent_text(app::resolved_percent(r.resolved, r.visits))},
                    {"submitted_on", submitted_on(page, r, z, false)},
                    {"state", report_state(page, r)},
                    {"warn", r.overdue || (r.report && r.report->late)}});
            }
            d["reports"] = rows;
            d["has_reports"] = !rows.empty();
            fill_trainings(page, staff, *id, *o, f, errors);
            if (staff.admin()) fill_end(page, staff, *id, *o, f, errors);
            return page.render(status, "console/partner_caf_partner", o->view.partner.name);
        }
    }

    // POSTs of the end of a partnership: administrators, CSRF first; a refusal is the page
    // again with 422, another organisation's ids 404.
    template <class F>
    Response post(Request& req, F f) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            app::Fields fields;
            for (auto& [k, v] : form) fields[k] = v;
            auto r = f(staff, *id, fields);
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return partner_page(req, page, staff, id, fields, r.errors, 422);
            return Response::redirect("/console/partners/" + std::to_string(*id) + "?done=1");
        });
    }

    static app::AdminResult not_found_result() {
        app::AdminResult r;
        r.not_found = true;
        return r;
    }

    Response add_training(Request& req) {
        return post(req, [&](Staff& staff, core::Id id, const app::Fields& f) {
            return caf_.add_training(staff.organisation_id, id, f, staff.actor());
        });
    }
    Response give_notice(Request& req) {
        return post(req, [&](Staff& staff, core::Id id, const app::Fields& f) {
            return caf_.give_notice(staff.organisation_id, id, f, staff.actor());
        });
    }
    Response remove_staff(Request& req) {
        return post(req, [&](Staff& staff, core::Id id, const app::Fields&) {
            auto account = StaffGate::id_param(req, "account");
            if (!account) return not_found_result();
            return caf_.remove_staff(staff.organisation_id, id, *account, staff.actor());
        });
    }
    Response archive_site(Request& req) {
        return post(req, [&](Staff& staff, core::Id id, const app::Fields&) {
            auto site = StaffGate::id_param(req, "site");
            if (!site) return not_found_result();
            return caf_.archive_site(staff.organisation_id, id, *site, staff.actor());
        });
    }
    Response archive_partner(Request& req) {
        return post(req, [&](Staff& staff, core::Id id, const app::Fields&) {
            return caf_.archive_partner(staff.organisation_id, id, staff.actor());
        });
    }

    Response partner_file(Request& req, bool xlsx) {
        return get(req, [&](Staff& staff, Page& page) {
            auto id = StaffGate::id_param(req, "id");
            auto o = id ? caf_.partner(staff.organisation_id, *id) : std::nullopt;
            if (!o) return gate_->not_found(req);
            auto z = zone(staff.organisation_id);
            std::vector<std::vector<stats::Cell>> lines;
            for (auto& r : o->reports) lines.push_back(report_cells(page, *o, r, z));
            return file(write(report_columns(page), lines, xlsx), xlsx,
                        "partner-" + std::to_string(*id) + "-reports");
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PartnerCaf caf_;
};

}  // namespace

void register_partner_caf_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<CafPages>(gate);
    router.get("/console/partners", [p](Request& r) { return p->overview(r); });
    router.get("/console/partners/export.csv",
               [p](Request& r) { return p->overview_file(r, false); });
    router.get("/console/partners/export.xlsx",
               [p](Request& r) { return p->overview_file(r, true); });
    router.get("/console/partners/{id}", [p](Request& r) { return p->partner(r); });
    router.post("/console/partners/{id}/trainings", [p](Request& r) { return p->add_training(r); });
    router.post("/console/partners/{id}/notice", [p](Request& r) { return p->give_notice(r); });
    router.post("/console/partners/{id}/staff/{account}/remove",
                [p](Request& r) { return p->remove_staff(r); });
    router.post("/console/partners/{id}/sites/{site}/archive",
                [p](Request& r) { return p->archive_site(r); });
    router.post("/console/partners/{id}/archive",
                [p](Request& r) { return p->archive_partner(r); });
    router.get("/console/partners/{id}/reports.csv",
               [p](Request& r) { return p->partner_file(r, false); });
    router.get("/console/partners/{id}/reports.xlsx",
               [p](Request& r) { return p->partner_file(r, true); });
}

}  // namespace vg::web
