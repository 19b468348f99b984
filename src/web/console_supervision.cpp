#include "web/console_supervision.hpp"

#include <nlohmann/json.hpp>

#include "app/supervision.hpp"
#include "core/timefmt.hpp"
#include "web/console_availability.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

// Room rules (issue 13): from a video appointment's journal, whether its citizen is waiting
// for an advisor who is late (told agent_late, still connected, not admitted since), and
// their choice ("" none yet); nullopt when not.
std::optional<std::string> waiting_for_agent(const std::vector<store::RoomEvent>& journal) {
    bool late = false, connected = false;
    std::string choice;
    for (auto& e : journal) {
        if (e.kind == "agent_late") late = true;
        if (e.kind == "admitted") late = false;  // let in: no longer waiting
        if (e.role == "citizen" && (e.kind == "joined" || e.kind == "rejoined")) connected = true;
        if (e.role == "citizen" && e.kind == "left") connected = false;
        if (e.kind == "late_choice") {
            auto j = nlohmann::json::parse(e.detail, nullptr, false);
            if (j.is_object()) choice = j.value("choice", "");
        }
    }
    if (!late || !connected) return std::nullopt;
    return choice;
}

class SupervisionPages {
  public:
    explicit SupervisionPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()) {}

    std::vector<store::Agent> agents(core::Id org) {
        std::vector<store::Agent> out;
        ctx_.booking.store().read([&](store::Session& s) { out = s.agents(org); });
        return out;
    }

    Response today(const Request& req) {
        return gate_->with_staff(req, {"supervisor", "admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return page.error(404, "error_page.not_found");
            auto zone = org->default_zone();
            auto now = ctx_.now();
            auto day = core::local_day_of(now, zone);
            std::vector<store::Appointment> list;
            std::set<core::Id> arrived;
            std::vector<std::pair<store::Appointment, std::string>> waiting;  // room rules
            ctx_.booking.store().read([&](store::Session& s) {
                list = s.appointments_between(org->org.id, core::start_of_local_day(day, zone),
                                              core::start_of_local_day(day + 1, zone), true,
                                              std::nullopt, std::nullopt);
                // Citizens recorded as arrived are neither late nor missing.
                for (auto& a : list)
                    if (a.starts_at <= now)
                        for (auto& e : s.appointment_events(a.id))
                            if (e.kind == "arrived") arrived.insert(a.id);
                // Room rules: citizens waiting for their advisor past the delay.
                for (auto& a : list)
                    if (a.channel == core::Channel::video && a.starts_at <= now)
                        if (auto choice = waiting_for_agent(s.room_events(org->org.id, a.id)))
                            waiting.emplace_back(a, *choice);
            });
            auto delay = app::no_show_delay(*org);
            auto v = app::classify_today(list, now, delay, arrived);
            auto all = agents(org->org.id);
            auto rows = [&](const std::vector<store::Appointment>& xs) {
                mstch::array out;
                for (auto& a : xs) out.push_back(appointment_row(page, *org, a, all));
                return out;
            };
            auto& d = page.data();
            d["day"] = page.format_date(day);
            d["delay"] = std::to_string(delay / 60);
            d["no_shows"] = rows(v.no_shows);
            d["has_no_shows"] = !v.no_shows.empty();
            d["late"] = rows(v.late);
            d["has_late"] = !v.late.empty();
            mstch::array waiting_rows;  // room rules
            for (auto& [a, choice] : waiting) {
                auto row = appointment_row(page, *org, a, all);
                row["choice"] = page.t("room_rules." + (choice.empty() ? std::string("choice_none")
                                                                       : "choice_" + choice));
                waiting_rows.push_back(row);
            }
            d["waiting_agent"] = waiting_rows;
            d["has_waiting_agent"] = !waiting_rows.empty();
            d["coming"] = rows(v.coming);
            d["has_coming"] = !v.coming.empty();
            if (req.q("reassigned")) d["notice"] = page.t("supervision.reassigned");
            return page.render(200, "console/supervision_today", page.t("supervision.today_title"));
        });
    }

    Response reassign_page(Page& page, const app::OrgData& org, const store::Appointment& a,
                           int status, core::Id chosen) {
        auto all = agents(org.org.id);
        page.data()["appointment"] = appointment_row(page, org, a, all);
        mstch::array free;
        for (auto id : ctx_.booking.reassign_candidates(org, a))
            for (auto& x : all)
                if (x.id == id)
                    free.push_back(mstch::map{{"id", std::to_string(id)},
                                              {"name", x.display_name},
                                              {"selected", id == chosen}});
        page.data()["agents"] = free;
        page.data()["has_agents"] = !free.empty();
        return page.render(status, "console/supervision_reassign",
                           page.t("supervision.reassign_title"));
    }

    std::optional<store::Appointment> appointment(const Staff& staff, const Request& req) {
        auto id = StaffGate::id_param(req, "id");
        if (!id) return std::nullopt;
        std::optional<store::Appointment> a;
        ctx_.booking.store().read(
            [&](store::Session& s) { a = s.appointment_by_id(staff.organisation_id, *id); });
        return a;
    }

    Response reassign_form(const Request& req) {
        return gate_->with_staff(req, {"supervisor", "admin"}, [&](Staff& staff) {
            auto a = appointment(staff, req);
            if (!a) return gate_->not_found(req);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            return reassign_page(page, *org, *a, 200, 0);
        });
    }

    Response reassign(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"supervisor", "admin"}, [&](Staff& staff) {
            auto a = appointment(staff, req);
            if (!a) return gate_->not_found(req);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            core::Id agent = 0;
            for (char ch : form_value(form, "agent"))
                agent =
                    ch >= '0' && ch <= '9' && agent < 100000000000LL ? agent * 10 + (ch - '0') : -1;
            auto r = ctx_.booking.reassign(*org, a->id, agent, staff.actor());
            if (r.outcome == app::Outcome::ok)
                return Response::redirect(
                    "/console/supervision/today?reassigned=1&lang=" + page.lang(), 303);
            if (r.outcome == app::Outcome::gone) return page.error(410, "supervision.error.gone");
            if (r.errors.empty()) r.errors["agent"] = "supervision.error.agent_not_free";
            add_console_errors(page, r.errors, "supervision");
            return reassign_page(page, *org, *a, 422, agent);
        });
    }

    // The close-site form, and its preview when a site and a day are given.
    void closure_form(Page& page, const app::OrgData& org, const std::string& site,
                      const std::string& day, const std::string& reason) {
        auto& d = page.data();
        mstch::array sites;
        for (auto& s : org.sites)
            if (!s.is_partner)
                sites.push_back(mstch::map{{"id", std::to_string(s.id)},
                                           {"name", s.name},
                                           {"selected", std::to_string(s.id) == site}});
        d["site_choices"] = sites;
        d["day"] = day.empty()
                       ? core::format_ymd(core::local_day_of(ctx_.now(), org.default_zone()))
                       : day;
        d["reason"] = reason;
    }

    void closure_items(Page& page, const app::OrgData& org, const app::ClosurePlan& p) {
        auto all = agents(org.org.id);
        mstch::array items;
        for (auto& item : p.items) {
            auto row = appointment_row(page, org, item.appointment, all);
            row["outcome"] =
                item.cancel
                    ? page.t("supervision.outcome.cancel")
                    : page.t("supervision.outcome." + std::string(core::to_string(item.to)));
            row["language"] = item.appointment.citizen.language;
            items.push_back(row);
        }
        page.data()["items"] = items;
        page.data()["has_items"] = !items.empty();
        page.data()["fingerprint"] = p.fingerprint;
        page.data()["already_closed"] = p.already_closed;
    }

    // Site and day of the form or query; nullopt: not of this organisation / not a date.
    struct Target {
        core::Id site = 0;
        core::LocalDay day = 0;
    };
    std::optional<Target> target(const app::OrgData& org, const std::string& site,
                                 const std::string& day) {
        auto d = core::parse_ymd(day);
        for (auto& s : org.sites)
            if (std::to_string(s.id) == site && !s.is_partner && d) return Target{s.id, *d};
        return std::nullopt;
    }

    Response close_form(const Request& req) {
        return gate_->with_staff(req, {"supervisor", "admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            auto site = req.q("site").value_or("");
            auto day = req.q("day").value_or("");
            closure_form(page, *org, site, day, req.q("reason").value_or(""));
            if (!site.empty()) {
                auto t = target(*org, site, day);
                if (!t) {
                    if (!core::parse_ymd(day)) {
                        add_console_errors(page, {{"day", "availability.error.date"}},
                                           "supervision");
                        return page.render(422, "console/supervision_close",
                                           page.t("supervision.close_title"));
                    }
                    return gate_->not_found(req);
                }
                auto p = ctx_.booking.close_site_preview(*org, t->site, t->day);
                closure_items(page, *org, p);
                page.data()["preview"] = true;
                page.data()["site_id"] = std::to_string(t->site);
                page.data()["site_name"] = org->site(t->site)->name;
                page.data()["day_label"] = page.format_date(t->day);
            }
            return page.render(200, "console/supervision_close", page.t("supervision.close_title"));
        });
    }

    Response close(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"supervisor", "admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            auto site = form_value(form, "site");
            auto day = form_value(form, "day");
            auto t = target(*org, site, day);
            if (!t) return gate_->not_found(req);
            auto p = ctx_.booking.close_site(*org, t->site, t->day, form_value(form, "reason"),
                                             form_value(form, "fingerprint"), staff.actor());
            closure_form(page, *org, site, day, form_value(form, "reason"));
            page.data()["site_id"] = std::to_string(t->site);
            page.data()["site_name"] = org->site(t->site)->name;
            page.data()["day_label"] = page.format_date(t->day);
            if (p.outcome == app::Outcome::ok) {
                closure_items(page, *org, p);
                page.data()["done"] = true;
                return page.render(200, "console/supervision_close",
                                   page.t("supervision.closed_title"));
            }
            int status = 422;
            if (p.outcome == app::Outcome::conflict) {
                // Booked or changed since the preview: the new preview, nothing done.
                p = ctx_.booking.close_site_preview(*org, t->site, t->day);
                page.data()["changed"] = true;
                status = 409;
            }
            add_console_errors(page, p.errors, "supervision");
            closure_items(page, *org, p);
            page.data()["preview"] = true;
            return page.render(status, "console/supervision_close",
                               page.t("supervision.close_title"));
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
};

}  // namespace

void register_supervision_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto pages = std::make_shared<SupervisionPages>(gate);
    router.get("/console/supervision/today", [pages](Request& r) { return pages->today(r); });
    router.get("/console/supervision/appointments/{id}/reassign",
               [pages](Request& r) { return pages->reassign_form(r); });
    router.post("/console/supervision/appointments/{id}/reassign",
                [pages](Request& r) { return pages->reassign(r); });
    router.get("/console/supervision/close-site",
               [pages](Request& r) { return pages->close_form(r); });
    router.post("/console/supervision/close-site", [pages](Request& r) { return pages->close(r); });
}

}  // namespace vg::web
