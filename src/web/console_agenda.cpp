// The agent's agenda in the console: /console/agenda (day and week), /console/agenda/print,
// /console/calendar and the feed /calendar/{token}.ics, /console/language, and
// /console/admin/teams. Every page goes through StaffGate; agents are limited to those
// app::visible_agents gives the person.
#include "web/console_agenda.hpp"

#include <date/tz.h>

#include "app/agenda.hpp"
#include "app/teams.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::web {

using http::Request;
using http::Response;

app::ScopeSubject scope_of(const Staff& staff) {
    return {staff.organisation_id, staff.account_id(), staff.roles, staff.agent_id};
}

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
    return s;
}

// "dans 25 min", "dans 1 h 05", "en cours": the countdown's words, also given to the script.
std::string countdown_text(const Page& page, const app::Countdown& c) {
    if (c.started) return page.t("agenda.under_way");
    if (c.minutes < 60)
        return replace_all(page.t("agenda.in_minutes"), "{n}", std::to_string(c.minutes));
    char mm[8];
    std::snprintf(mm, sizeof mm, "%02d", int(c.minutes % 60));
    return replace_all(
        replace_all(page.t("agenda.in_hours"), "{h}", std::to_string(c.minutes / 60)), "{m}", mm);
}

// One appointment as the templates show it.
mstch::map entry_map(const Page& page, const app::AgendaEntry& e, bool with_agent) {
    auto& a = e.appointment;
    auto zone = e.site ? core::zone_or_default(e.site->time_zone) : core::zone_or_default("");
    auto channel = std::string(core::to_string(a.channel));
    mstch::map m{
        {"id", std::to_string(a.id)},
        {"href", "/console/appointments/" + std::to_string(a.id)},
        {"start", page.format_time(a.starts_at, zone)},
        {"end", page.format_time(a.ends_at, zone)},
        {"motif", e.motif ? e.motif->name.pick(page.lang()) : std::string()},
        {"channel", page.t("channel." + channel)},
        {"channel_code", channel},
        {"site", e.site ? e.site->name : std::string()},
        {"citizen", a.citizen.first_name + " " + a.citizen.last_name},
        {"phone", a.citizen.phone},
        {"confirmed", e.confirmed()},
    };
    if (with_agent) m["agent"] = e.agent_name;
    if (a.status == store::AppointmentStatus::honoured) m["status"] = page.t("agenda.honoured");
    if (a.status == store::AppointmentStatus::no_show) m["status"] = page.t("agenda.no_show");
    return m;
}

// Adds "next" (the next appointment and its countdown) to the page.
void add_next(Page& page, app::Context& ctx, const app::Agenda& agenda, bool with_agent) {
    if (!agenda.next) return;
    auto now = ctx.now();
    auto c = app::countdown(*agenda.next, now);
    auto m = entry_map(page, *agenda.next, with_agent);
    m["countdown"] = countdown_text(page, c);
    m["starts_at"] = std::to_string(agenda.next->appointment.starts_at);
    m["ends_at"] = std::to_string(agenda.next->appointment.ends_at);
    m["now"] = std::to_string(now);
    auto today = core::local_day_of(now, agenda.org->default_zone());
    auto day = core::local_day_of(agenda.next->appointment.starts_at, agenda.org->default_zone());
    if (day != today) m["day"] = page.format_date(day);
    page.data()["next"] = m;
    page.data()["countdown_minutes"] = page.t("agenda.in_minutes");
    page.data()["countdown_hours"] = page.t("agenda.in_hours");
    page.data()["countdown_started"] = page.t("agenda.under_way");
}

mstch::array days_array(const Page& page, app::Context& ctx, const app::Agenda& agenda,
                        bool with_agent) {
    mstch::array days;
    auto today = core::local_day_of(ctx.now(), agenda.org->default_zone());
    for (auto& d : agenda.days) {
        mstch::array items;
        for (auto& e : d.entries) items.push_back(entry_map(page, e, with_agent));
        days.push_back(mstch::map{{"date", page.format_date(d.day)},
                                  {"ymd", core::format_ymd(d.day)},
                                  {"today", d.day == today},
                                  {"items", items},
                                  {"count", std::to_string(d.entries.size())},
                                  {"empty", d.entries.empty()}});
    }
    return days;
}

class AgendaPages {
  public:
    explicit AgendaPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)),
          ctx_(gate_->context()),
          agenda_(ctx_.booking, ctx_.i18n,
                  {ctx_.settings.installation_id, ctx_.settings.public_host},
                  ctx_.settings.link_base),
          teams_(ctx_.booking) {}

    // ?day=YYYY-MM-DD (default today in the organisation's zone), ?view=day|week,
    // ?agent=ID|all (default: the person's own agent, else all). Bad values: 400.
    struct Parsed {
        bool ok = true;
        std::string error;  // catalogue key
        core::LocalDay day = 0;
        bool week = false;
        std::optional<core::Id> agent;
        std::string agent_param;  // "all" or the id, for links
    };
    Parsed parse(const Request& req, const Staff& staff, const app::OrgData& org) {
        Parsed p;
        p.day = core::local_day_of(ctx_.now(), org.default_zone());
        if (auto d = req.q("day"); d && !d->empty()) {
            auto v = core::parse_ymd(*d);
            if (!v) return {false, "agenda.bad_day", 0, false, {}, {}};
            p.day = *v;
        }
        if (auto v = req.q("view"); v && !v->empty()) {
            if (*v != "day" && *v != "week") return {false, "agenda.bad_view", 0, false, {}, {}};
            p.week = *v == "week";
        }
        auto a = req.q("agent").value_or("");
        if (a.empty()) {
            if (staff.agent_id && staff.has("agent")) p.agent = staff.agent_id;
        } else if (a != "all") {
            core::Id id = 0;
            if (a.size() > 18 || a.find_first_not_of("0123456789") != std::string::npos ||
                (id = std::stoll(a)) <= 0)
                return {false, "agenda.bad_agent", 0, false, {}, {}};
            p.agent = id;
        }
        p.agent_param = p.agent ? std::to_string(*p.agent) : "all";
        return p;
    }

    Response agenda_page(Request& req, bool print) {
        return gate_->with_staff(req, {}, [&](Staff& staff) -> Response {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return gate_->not_found(req);
            auto p = parse(req, staff, *org);
            if (!p.ok) return page.error(400, p.error);
            app::AgendaQuery q;
            q.agent = p.agent;
            q.from = p.week && !print ? core::monday_of(p.day) : p.day;
            q.days = p.week && !print ? 7 : 1;
            auto a = agenda_.agenda(staff.organisation_slug, scope_of(staff), q);
            // Another organisation's agent, or one the person may not see: the same 404.
            if (a.outcome != app::Agenda::Outcome::ok) return gate_->not_found(req);
            bool with_agent = !p.agent;
            auto& d = page.data();
            d["org_label"] = staff.organisation_name;
            d["days"] = days_array(page, ctx_, a, with_agent);
            d["with_agent"] = with_agent;
            d["day_ymd"] = core::format_ymd(p.day);
            std::string who = page.t("agenda.all_agents");
            for (auto& ag : a.agents)
                if (p.agent && ag.id == *p.agent) who = ag.display_name;
            d["who"] = who;
            if (print) {
                d["date"] = page.format_date(p.day);
                return page.render(200, "console/agenda_print",
                                   page.t("agenda.print_title") + " – " + page.format_date(p.day));
            }
            auto view = std::string(p.week ? "week" : "day");
            auto link = [&](core::LocalDay day, const std::string& v) {
                return "/console/agenda?day=" + core::format_ymd(day) + "&view=" + v +
                       "&agent=" + p.agent_param;
            };
            int step = p.week ? 7 : 1;
            d["previous"] = link(p.day - step, view);
            d["next_link"] = link(p.day + step, view);
            d["day_link"] = link(p.day, "day");
            d["week_link"] = link(p.day, "week");
            d["print_link"] =
                "/console/agenda/print?day=" + core::format_ymd(p.day) + "&agent=" + p.agent_param;
            d["week"] = p.week;
            d["is_day"] = !p.week;
            auto title = p.week ? page.t("agenda.week_of") + " " + page.format_date(q.from)
                                : page.format_date(p.day);
            d["heading"] = title;
            // The chooser of supervisors and administrators (several agents in scope).
            if (a.agents.size() > 1 || !staff.has("agent")) {
                mstch::array agents;
                agents.push_back(mstch::map{{"value", std::string("all")},
                                            {"name", page.t("agenda.all_agents")},
                                            {"selected", !p.agent}});
                for (auto& ag : a.agents)
                    agents.push_back(mstch::map{{"value", std::to_string(ag.id)},
                                                {"name", ag.display_name},
                                                {"selected", p.agent && *p.agent == ag.id}});
                d["agents"] = agents;
                d["choose_agent"] = true;
            }
            return page.render(200, "console/agenda_view", page.t("agenda.title") + " – " + title);
        });
    }

    // --- calendar feed -------------------------------------------------------------------
    Response calendar_page(Page& page, const Staff& staff, const std::string& token, int status) {
        auto& d = page.data();
        d["has_feed"] = agenda_.has_feed(staff.account_id(), staff.organisation_id);
        if (!token.empty()) d["feed_url"] = ctx_.settings.link_base + "/calendar/" + token + ".ics";
        return page.render(status, "console/agenda_calendar", page.t("agenda.calendar_title"));
    }

    Response calendar(Request& req) {
        return gate_->with_staff(req, {"agent"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            if (req.q("revoked")) page.data()["notice"] = page.t("agenda.feed_revoked");
            return calendar_page(page, staff, "", 200);
        });
    }

    Response calendar_post(Request& req, bool revoke) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"agent"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            if (revoke) {
                agenda_.revoke_feed(staff.account_id(), staff.organisation_id, staff.actor());
                return Response::redirect("/console/calendar?revoked=1");
            }
            auto token =
                agenda_.create_feed(staff.account_id(), staff.organisation_id, staff.actor());
            page.data()["notice"] = page.t("agenda.feed_created");
            return calendar_page(page, staff, token, 200);
        });
    }

    // GET /calendar/{token}.ics: no session; the secret link is the key.
    Response feed(Request& req) {
        auto file = req.path_param("file").value_or("");
        static const std::string ext = ".ics";
        std::optional<std::string> body;
        if (file.size() > ext.size() && file.ends_with(ext))
            body = agenda_.feed(file.substr(0, file.size() - ext.size()));
        if (!body) {
            Page page(ctx_, req, nullptr);
            return page.error(404, "error_page.not_found");
        }
        auto res = Response::text(200, std::move(*body));
        res.content_type = "text/calendar; charset=utf-8";
        res.header("Cache-Control", "private, max-age=300");
        return res;
    }

    // --- language ------------------------------------------------------------------------
    Response language(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        Page page(ctx_, req, nullptr);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        return gate_->with_session(req, [&](app::AccountService::Current& c) {
            if (!agenda_.set_language(c.account.id, form_value(form, "language")))
                return page.error(400, "agenda.bad_language");
            return Response::redirect("/console/");
        });
    }

    // --- teams (administrators) --------------------------------------------------------------
    Response teams_page(Page& page, const Staff& staff, int status) {
        auto teams = teams_.teams(staff.organisation_id);
        std::vector<store::Agent> agents;
        ctx_.booking.store().read(
            [&](store::Session& s) { agents = s.agents(staff.organisation_id); });
        std::vector<std::pair<core::Id, std::string>> supervisors;
        for (auto& l : ctx_.accounts->list(staff.organisation_slug)) {
            bool may = false;
            for (auto& m : l.memberships)
                may = may || (m.organisation_id == staff.organisation_id &&
                              (m.role == "supervisor" || m.role == "admin"));
            if (may)
                supervisors.emplace_back(l.account.id, l.account.display_name.empty()
                                                           ? l.account.email
                                                           : l.account.display_name);
        }
        auto agent_name = [&](core::Id id) {
            for (auto& a : agents)
                if (a.id == id) return a.display_name;
            return std::to_string(id);
        };
        auto sup_name = [&](core::Id id) {
            for (auto& [i, n] : supervisors)
                if (i == id) return n;
            return std::to_string(id);
        };
        mstch::array list;
        for (auto& t : teams) {
            auto id = std::to_string(t.id);
            mstch::array members, others, sups, other_sups;
            for (auto a : t.agent_ids)
                members.push_back(
                    mstch::map{{"id", std::to_string(a)}, {"name", agent_name(a)}, {"team", id}});
            for (auto& a : agents)
                if (!std::binary_search(t.agent_ids.begin(), t.agent_ids.end(), a.id))
                    others.push_back(
                        mstch::map{{"id", std::to_string(a.id)}, {"name", a.display_name}});
            for (auto a : t.supervisor_ids)
                sups.push_back(
                    mstch::map{{"id", std::to_string(a)}, {"name", sup_name(a)}, {"team", id}});
            for (auto& [i, n] : supervisors)
                if (!std::binary_search(t.supervisor_ids.begin(), t.supervisor_ids.end(), i))
                    other_sups.push_back(mstch::map{{"id", std::to_string(i)}, {"name", n}});
            list.push_back(mstch::map{{"id", id},
                                      {"name", t.name},
                                      {"agents", members},
                                      {"has_agents", !members.empty()},
                                      {"other_agents", others},
                                      {"has_other_agents", !others.empty()},
                                      {"supervisors", sups},
                                      {"has_supervisors", !sups.empty()},
                                      {"other_supervisors", other_sups},
                                      {"has_other_supervisors", !other_sups.empty()}});
        }
        page.data()["teams"] = list;
        page.data()["has_teams"] = !list.empty();
        return page.render(status, "console/agenda_teams", page.t("agenda.teams_title"));
    }

    Response teams(Request& req) {
        return gate_->with_staff(req, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            if (req.q("saved")) page.data()["notice"] = page.t("agenda.team_saved");
            return teams_page(page, staff, 200);
        });
    }

    // POST /console/admin/teams (create) and /console/admin/teams/{id}/{action}.
    Response teams_post(Request& req, const std::string& action) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) -> Response {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = staff.organisation_id;
            auto actor = staff.actor();
            app::TeamService::Result r;
            if (action == "create") {
                r = teams_.create(org, form_value(form, "name"), actor);
            } else {
                auto team = StaffGate::id_param(req, "id");
                // The team is of this organisation before anything else is looked at: another
                // organisation's id is answered like a missing one, whatever the form says.
                std::optional<store::Team> found;
                if (team)
                    ctx_.booking.store().read(
                        [&](store::Session& s) { found = s.team(org, *team); });
                if (!found) return gate_->not_found(req);
                auto number = [&](const std::string& name) -> std::optional<core::Id> {
                    auto v = form_value(form, name);
                    if (v.empty() || v.size() > 18 ||
                        v.find_first_not_of("0123456789") != std::string::npos)
                        return std::nullopt;
                    return std::stoll(v);
                };
                if (action == "rename") {
                    r = teams_.rename(org, *team, form_value(form, "name"), actor);
                } else if (action == "delete") {
                    r = teams_.remove(org, *team, actor);
                } else if (action == "agents" || action == "supervisors") {
                    auto id = number(action == "agents" ? "agent" : "account");
                    auto op = form_value(form, "op");
                    if (!id || (op != "add" && op != "remove"))
                        return page.error(400, "error_page.bad_request");
                    r = action == "agents"
                            ? teams_.set_agent(org, *team, *id, op == "add", actor)
                            : teams_.set_supervisor(org, *team, *id, op == "add", actor);
                } else {
                    return gate_->not_found(req);
                }
            }
            if (r.outcome == app::Outcome::not_found) return gate_->not_found(req);
            if (r.outcome == app::Outcome::invalid) {
                page.data()["form_error"] = page.t(r.error);
                return teams_page(page, staff, 422);
            }
            return Response::redirect("/console/admin/teams?saved=1");
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::AgendaService agenda_;
    app::TeamService teams_;
};

}  // namespace

void add_console_today(Page& page, app::Context& ctx, const Staff& staff) {
    {
        auto& d = page.data();
        d["is_admin"] = staff.admin();
        // The other parts of the console, as the person's roles open them.
        bool can_book = staff.has("agent") || staff.has("supervisor");
        bool availability = staff.has("agent") || staff.admin();
        d["can_book"] = can_book;
        d["has_availability"] = availability;
        d["is_supervisor"] = staff.supervisor();
        d["has_tools"] = can_book || availability || staff.supervisor();
    }
    auto org = ctx.booking.organisation(staff.organisation_slug);
    if (!org) return;
    app::AgendaQuery q;
    q.from = core::local_day_of(ctx.now(), org->default_zone());
    q.days = 1;
    q.with_next = true;
    if (staff.agent_id && staff.has("agent")) q.agent = staff.agent_id;
    app::AgendaService agenda(ctx.booking, ctx.i18n,
                              {ctx.settings.installation_id, ctx.settings.public_host},
                              ctx.settings.link_base);
    auto a = agenda.agenda(staff.organisation_slug, scope_of(staff), q);
    if (a.outcome != app::Agenda::Outcome::ok) return;
    bool with_agent = !q.agent;
    auto& d = page.data();
    auto days = days_array(page, ctx, a, with_agent);
    d["today_day"] = days.front();
    d["today_date"] = page.format_date(q.from);
    d["has_today"] = true;
    add_next(page, ctx, a, with_agent);
    d["with_agent"] = with_agent;
    d["is_admin"] = staff.admin();
    d["is_agent"] = staff.has("agent") && staff.agent_id.has_value();
}

void register_agenda_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto pages = std::make_shared<AgendaPages>(gate);
    router.get("/console/agenda", [pages](Request& r) { return pages->agenda_page(r, false); });
    router.get("/console/agenda/print",
               [pages](Request& r) { return pages->agenda_page(r, true); });
    router.get("/console/calendar", [pages](Request& r) { return pages->calendar(r); });
    router.post("/console/calendar",
                [pages](Request& r) { return pages->calendar_post(r, false); });
    router.post("/console/calendar/revoke",
                [pages](Request& r) { return pages->calendar_post(r, true); });
    router.get("/calendar/{file}", [pages](Request& r) { return pages->feed(r); });
    router.post("/console/language", [pages](Request& r) { return pages->language(r); });
    router.get("/console/admin/teams", [pages](Request& r) { return pages->teams(r); });
    router.post("/console/admin/teams",
                [pages](Request& r) { return pages->teams_post(r, "create"); });
    // Literal patterns: tests/integration/test_forms.py reads them from here.
    router.post("/console/admin/teams/{id}/rename",
                [pages](Request& r) { return pages->teams_post(r, "rename"); });
    router.post("/console/admin/teams/{id}/delete",
                [pages](Request& r) { return pages->teams_post(r, "delete"); });
    router.post("/console/admin/teams/{id}/agents",
                [pages](Request& r) { return pages->teams_post(r, "agents"); });
    router.post("/console/admin/teams/{id}/supervisors",
                [pages](Request& r) { return pages->teams_post(r, "supervisors"); });
}

}  // namespace vg::web
