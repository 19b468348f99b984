#include "web/console_availability.hpp"

#include <date/tz.h>

#include "app/supervision.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::web {

using http::Request;
using http::Response;

void add_console_errors(Page& page, const core::FieldErrors& errors, const std::string& part) {
    mstch::array list;
    for (auto& [field, key] : errors) {
        auto msg = page.t(key);
        page.data()["error_" + field] = msg;
        auto label_field = field.rfind("choice_", 0) == 0 ? std::string("choice") : field;
        list.push_back(mstch::map{
            {"field", field}, {"label", page.t(part + ".field." + label_field)}, {"message", msg}});
    }
    if (!list.empty()) {
        page.data()["errors"] = list;
        page.data()["has_errors"] = true;
    }
}

std::optional<int> parse_hhmm(const std::string& s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (s[std::size_t(i)] < '0' || s[std::size_t(i)] > '9') return std::nullopt;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string format_hhmm(int minutes) {
    char out[8];
    std::snprintf(out, sizeof out, "%02d:%02d", minutes / 60 % 100, minutes % 60);
    return out;
}

mstch::map appointment_row(Page& page, const app::OrgData& org, const store::Appointment& a,
                           const std::vector<store::Agent>& agents) {
    auto site = org.site(a.site_id);
    auto motif = org.motif(a.motif_id);
    auto zone = site ? org.zone(*site) : org.default_zone();
    std::string agent_name;
    for (auto& x : agents)
        if (x.id == a.agent_id) agent_name = x.display_name;
    return mstch::map{{"id", std::to_string(a.id)},
                      {"when", page.format_datetime(a.starts_at, zone)},
                      {"citizen", a.citizen.first_name + " " + a.citizen.last_name},
                      {"motif", motif ? motif->name.pick(page.lang()) : std::string()},
                      {"channel", page.t("channel." + std::string(core::to_string(a.channel)))},
                      {"site", site ? site->name : std::string()},
                      {"agent", agent_name}};
}

namespace {

const char* kWeekdayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const core::Channel kChannels[] = {core::Channel::video, core::Channel::on_site,
                                   core::Channel::phone};

std::optional<core::Id> parse_id(const std::string& v) {
    if (v.empty() || v.size() > 18) return std::nullopt;
    core::Id id = 0;
    for (char ch : v) {
        if (ch < '0' || ch > '9') return std::nullopt;
        id = id * 10 + (ch - '0');
    }
    return id > 0 ? std::optional(id) : std::nullopt;
}

std::vector<std::string> values(const http::Params& form, const std::string& name) {
    std::vector<std::string> out;
    auto [b, e] = form.equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

class AvailabilityPages {
  public:
    explicit AvailabilityPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()) {}

    // Whose availability: one's own; an administrator may choose any agent of the
    // organisation (?agent= / the form's agent). Another agent's asked by an agent: 403; an
    // agent not of this organisation: 404.
    struct Whose {
        std::optional<core::Id> agent;
        std::optional<Response> refusal;
    };
    Whose whose(const Request& req, const Staff& staff, const std::string& asked) {
        if (asked.empty()) {
            if (staff.agent_id) return {staff.agent_id, {}};
            if (staff.admin()) {
                std::vector<store::Agent> agents;
                ctx_.booking.store().read(
                    [&](store::Session& s) { agents = s.agents(staff.organisation_id); });
                if (!agents.empty()) return {agents.front().id, {}};
            }
            return {{}, gate_->forbidden(req)};
        }
        auto id = parse_id(asked);
        if (!id) return {{}, gate_->not_found(req)};
        if (!staff.admin() && id != staff.agent_id) {
            bool exists = false;
            ctx_.booking.store().read([&](store::Session& s) {
                exists = s.agent(staff.organisation_id, *id).has_value();
            });
            return {{}, exists ? gate_->forbidden(req) : gate_->not_found(req)};
        }
        bool exists = false;
        ctx_.booking.store().read(
            [&](store::Session& s) { exists = s.agent(staff.organisation_id, *id).has_value(); });
        if (!exists) return {{}, gate_->not_found(req)};
        return {id, {}};
    }
    // The scope of a write: an agent edits only their own rows.
    static std::optional<core::Id> scope(const Staff& staff, core::Id agent) {
        return staff.admin() ? std::nullopt : std::optional(agent);
    }

    Response show(const Request& req) {
        return gate_->with_staff(req, {"agent", "admin"}, [&](Staff& staff) {
            auto w = whose(req, staff, req.q("agent").value_or(""));
            if (w.refusal) return *w.refusal;
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return page.error(404, "error_page.not_found");
            if (req.q("saved")) page.data()["notice"] = page.t("availability.saved");
            return render(page, staff, *org, *w.agent, 200, {});
        });
    }

    Response render(Page& page, const Staff& staff, const app::OrgData& org, core::Id agent,
                    int status, const http::Params& form) {
        auto& d = page.data();
        std::vector<core::OpeningPlan> plans;
        std::vector<store::AbsenceRow> absences;
        std::vector<store::Agent> agents;
        ctx_.booking.store().read([&](store::Session& s) {
            plans = s.plans(org.org.id, agent);
            absences = s.absences(org.org.id, agent, ctx_.now());
            agents = s.agents(org.org.id);
        });
        std::string agent_name;
        mstch::array agent_choices;
        for (auto& a : agents) {
            if (a.id == agent) agent_name = a.display_name;
            agent_choices.push_back(mstch::map{{"id", std::to_string(a.id)},
                                               {"name", a.display_name},
                                               {"selected", a.id == agent}});
        }
        d["agent_id"] = std::to_string(agent);
        d["agent_name"] = agent_name;
        if (staff.admin()) d["agent_choices"] = agent_choices;
        d["can_choose"] = staff.admin();
        mstch::array rows;
        for (auto& p : plans) rows.push_back(plan_row(page, org, p));
        d["plans"] = rows;
        d["has_plans"] = !rows.empty();
        mstch::array abs;
        auto zone = org.default_zone();
        for (auto& a : absences)
            abs.push_back(mstch::map{{"id", std::to_string(a.id)},
                                     {"from", page.format_datetime(a.absence.span.start, zone)},
                                     {"to", page.format_datetime(a.absence.span.end, zone)},
                                     {"reason", a.reason}});
        d["absences"] = abs;
        d["has_absences"] = !abs.empty();
        std::vector<store::RecurringAbsenceRow> recurring;
        ctx_.booking.store().read(
            [&](store::Session& s) { recurring = s.recurring_absences(org.org.id, agent); });
        mstch::array rec;
        for (auto& x : recurring) {
            core::OpeningPlan shown;
            shown.rule = x.absence.rule;
            auto row = plan_row(page, org, shown);
            row["id"] = std::to_string(x.id);
            row["reason"] = x.reason;
            rec.push_back(row);
        }
        d["recurring"] = rec;
        d["has_recurring"] = !rec.empty();
        {
            // The recurring absence form: its own field names (r_...), the plan form's rules.
            bool posted = form.count("r_start");
            mstch::array days;
            auto posted_days = values(form, "r_weekdays");
            for (int i = 0; i < 7; ++i)
                days.push_back(mstch::map{
                    {"value", std::to_string(i)},
                    {"label", page.t(std::string("availability.weekday.") + kWeekdayKeys[i])},
                    {"checked", posted && std::find(posted_days.begin(), posted_days.end(),
                                                    std::to_string(i)) != posted_days.end()}});
            d["r_weekday_choices"] = days;
            d["r_start"] = posted ? form_value(form, "r_start") : "12:00";
            d["r_end"] = posted ? form_value(form, "r_end") : "13:30";
            d["r_valid_from"] =
                posted ? form_value(form, "r_valid_from")
                       : core::format_ymd(core::local_day_of(ctx_.now(), org.default_zone()));
            d["r_valid_until"] = form_value(form, "r_valid_until");
            d["r_every_n_weeks"] = posted ? form_value(form, "r_every_n_weeks") : "1";
            d["r_reason"] = form_value(form, "r_reason");
        }
        plan_form(page, org, std::nullopt, form);
        for (auto f : {"absence_start_date", "absence_start_time", "absence_end_date",
                       "absence_end_time", "absence_reason"})
            d[f] = form_value(form, f);
        if (form_value(form, "absence_start_time").empty())
            d["absence_start_time"] = std::string("00:00");
        if (form_value(form, "absence_end_time").empty())
            d["absence_end_time"] = std::string("24:00");
        return page.render(status, "console/availability_page", page.t("availability.title"));
    }

    mstch::map plan_row(Page& page, const app::OrgData& org, const core::OpeningPlan& p) {
        std::string days;
        for (int i = 0; i < 7; ++i)
            if (p.rule.weekdays & (1 << i))
                days += (days.empty() ? "" : ", ") +
                        page.t(std::string("availability.weekday.") + kWeekdayKeys[i]);
        std::string channels;
        for (auto c : kChannels)
            if (p.channels & core::channel_bit(c))
                channels += (channels.empty() ? "" : ", ") +
                            page.t("channel." + std::string(core::to_string(c)));
        std::string motifs;
        for (auto id : p.motif_ids)
            if (auto m = org.motif(id))
                motifs += (motifs.empty() ? "" : ", ") + m->name.pick(page.lang());
        if (motifs.empty()) motifs = page.t("availability.all_motifs");
        auto site = org.site(p.site_id);
        std::string validity =
            page.t("availability.from") + " " + page.format_date(p.rule.valid_from);
        if (p.rule.valid_until)
            validity +=
                " " + page.t("availability.until") + " " + page.format_date(*p.rule.valid_until);
        std::string every = p.rule.every_n_weeks == 1
                                ? page.t("availability.every_week")
                                : text::I18n::fill(page.t("availability.every_n"), "{n}",
                                                   std::to_string(p.rule.every_n_weeks));
        return mstch::map{
            {"id", std::to_string(p.id)},
            {"days", days},
            {"hours", format_hhmm(p.rule.start_minute) + "–" + format_hhmm(p.rule.end_minute)},
            {"site", site ? site->name : std::string()},
            {"channels", channels},
            {"motifs", motifs},
            {"validity", validity},
            {"every", every}};
    }

    // The plan form's values: from the submitted form, else the plan, else defaults.
    void plan_form(Page& page, const app::OrgData& org, const std::optional<core::OpeningPlan>& p,
                   const http::Params& form) {
        auto& d = page.data();
        bool posted = form.count("start");
        auto get = [&](const std::string& name, const std::string& fallback) {
            return posted ? form_value(form, name) : fallback;
        };
        core::OpeningPlan dflt;
        dflt.rule = {0b11111,      9 * 60,
                     12 * 60,      core::local_day_of(ctx_.now(), org.default_zone()),
                     std::nullopt, 1};
        if (!org.sites.empty()) dflt.site_id = org.sites.front().id;
        const auto& v = p ? *p : dflt;
        mstch::array days;
        auto posted_days = values(form, "weekdays");
        for (int i = 0; i < 7; ++i) {
            bool on = posted ? std::find(posted_days.begin(), posted_days.end(),
                                         std::to_string(i)) != posted_days.end()
                             : bool(v.rule.weekdays & (1 << i));
            days.push_back(mstch::map{
                {"value", std::to_string(i)},
                {"label", page.t(std::string("availability.weekday.") + kWeekdayKeys[i])},
                {"checked", on}});
        }
        d["weekday_choices"] = days;
        d["start"] = get("start", format_hhmm(v.rule.start_minute));
        d["end"] = get("end", format_hhmm(v.rule.end_minute));
        d["valid_from"] = get("valid_from", core::format_ymd(v.rule.valid_from));
        d["valid_until"] =
            get("valid_until", v.rule.valid_until ? core::format_ymd(*v.rule.valid_until) : "");
        d["every_n_weeks"] = get("every_n_weeks", std::to_string(v.rule.every_n_weeks));
        auto site_value = get("site", std::to_string(v.site_id));
        mstch::array sites;
        for (auto& s : org.sites)
            sites.push_back(mstch::map{{"id", std::to_string(s.id)},
                                       {"name", s.name},
                                       {"selected", std::to_string(s.id) == site_value}});
        d["site_choices"] = sites;
        auto posted_channels = values(form, "channels");
        mstch::array channels;
        for (auto c : kChannels) {
            auto name = std::string(core::to_string(c));
            bool on = posted ? std::find(posted_channels.begin(), posted_channels.end(), name) !=
                                   posted_channels.end()
                             : bool(v.channels & core::channel_bit(c));
            channels.push_back(
                mstch::map{{"value", name}, {"label", page.t("channel." + name)}, {"checked", on}});
        }
        d["channel_choices"] = channels;
        auto posted_motifs = values(form, "motifs");
        mstch::array motifs;
        for (auto& m : org.motifs) {
            auto id = std::to_string(m.id);
            bool on = posted ? std::find(posted_motifs.begin(), posted_motifs.end(), id) !=
                                   posted_motifs.end()
                             : std::find(v.motif_ids.begin(), v.motif_ids.end(), m.id) !=
                                   v.motif_ids.end();
            motifs.push_back(
                mstch::map{{"value", id}, {"label", m.name.pick(page.lang())}, {"checked", on}});
        }
        d["motif_choices"] = motifs;
    }

    // The submitted plan; errors for what cannot be read (hours, dates, numbers).
    core::OpeningPlan read_plan(const http::Params& form, core::Id agent, core::FieldErrors& e) {
        core::OpeningPlan p;
        p.agent_id = agent;
        for (auto& v : values(form, "weekdays")) {
            if (v.size() == 1 && v[0] >= '0' && v[0] <= '6')
                p.rule.weekdays |= std::uint8_t(1 << (v[0] - '0'));
        }
        auto start = parse_hhmm(form_value(form, "start"));
        auto end = parse_hhmm(form_value(form, "end"));
        if (!start) e["start"] = "availability.error.hours";
        if (!end) e["end"] = "availability.error.hours";
        p.rule.start_minute = start.value_or(0);
        p.rule.end_minute = end.value_or(0);
        auto from = core::parse_ymd(form_value(form, "valid_from"));
        if (!from) e["valid_from"] = "availability.error.date";
        p.rule.valid_from = from.value_or(0);
        if (auto u = form_value(form, "valid_until"); !u.empty()) {
            p.rule.valid_until = core::parse_ymd(u);
            if (!p.rule.valid_until) e["valid_until"] = "availability.error.date";
        }
        auto every = form_value(form, "every_n_weeks");
        p.rule.every_n_weeks = 0;
        if (every.size() == 1 && every[0] >= '1' && every[0] <= '9')
            p.rule.every_n_weeks = every[0] - '0';
        p.site_id = parse_id(form_value(form, "site")).value_or(0);
        p.channels = 0;
        for (auto& c : values(form, "channels"))
            if (auto ch = core::parse_channel(c)) p.channels |= core::channel_bit(*ch);
        for (auto& m : values(form, "motifs")) p.motif_ids.push_back(parse_id(m).value_or(-1));
        return p;
    }

    // The frame of the forms that change someone's availability: signed in with the right
    // role and the CSRF token, whose agenda (one's own; any agent's for administrators), the
    // page in the person's language, the organisation.
    template <class F>
    Response on_agenda(const Request& req, const http::Params& form, F&& f) {
        return gate_->post_with_staff(req, form, {"agent", "admin"}, [&](Staff& staff) {
            auto w = whose(req, staff, form_value(form, "agent"));
            if (w.refusal) return *w.refusal;
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            if (!org) return page.error(404, "error_page.not_found");
            return f(staff, page, *org, *w.agent);
        });
    }

    // Back to that agent's availability, saying the change was saved.
    static Response saved(Page& page, const std::string& agent) {
        return Response::redirect(
            "/console/availability?agent=" + agent + "&saved=1&lang=" + page.lang(), 303);
    }

    Response save_plan(const Request& req, std::optional<core::Id> plan_id) {
        auto form = http::parse_urlencoded(req.body);
        return on_agenda(
            req, form, [&](Staff& staff, Page& page, const app::OrgData& org, core::Id agent) {
                core::FieldErrors errors;
                auto p = read_plan(form, agent, errors);
                p.id = plan_id.value_or(0);
                app::ConfigResult r;
                if (errors.empty()) {
                    r = ctx_.booking.save_plan(org, p, scope(staff, agent), staff.actor());
                } else {
                    r.outcome = app::Outcome::invalid;
                    r.errors = errors;
                }
                if (r.outcome == app::Outcome::not_found) return gate_->not_found(req);
                if (r.outcome != app::Outcome::ok) {
                    add_console_errors(page, r.errors, "availability");
                    if (plan_id) return edit_page(page, org, agent, *plan_id, 422, form);
                    return render(page, staff, org, agent, 422, form);
                }
                return saved(page, std::to_string(agent));
            });
    }

    Response edit_page(Page& page, const app::OrgData& org, core::Id agent, core::Id id, int status,
                       const http::Params& form) {
        std::optional<core::OpeningPlan> p;
        ctx_.booking.store().read([&](store::Session& s) { p = s.plan(org.org.id, id); });
        if (!p || p->agent_id != agent) return page.error(404, "error_page.not_found");
        plan_form(page, org, p, form);
        page.data()["plan_id"] = std::to_string(id);
        page.data()["agent_id"] = std::to_string(agent);
        return page.render(status, "console/availability_plan", page.t("availability.edit_plan"));
    }

    Response edit(const Request& req) {
        return gate_->with_staff(req, {"agent", "admin"}, [&](Staff& staff) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            std::optional<core::OpeningPlan> p;
            ctx_.booking.store().read(
                [&](store::Session& s) { p = s.plan(staff.organisation_id, *id); });
            if (!p) return gate_->not_found(req);
            if (!staff.admin() && p->agent_id != staff.agent_id) return gate_->not_found(req);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            return edit_page(page, *org, p->agent_id, *id, 200, {});
        });
    }

    Response remove(const Request& req, bool plan) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"agent", "admin"}, [&](Staff& staff) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            std::optional<core::Id> scoped =
                staff.admin() ? std::nullopt : std::optional(staff.agent_id.value_or(0));
            auto r = plan ? ctx_.booking.delete_plan(*org, *id, scoped, staff.actor())
                          : ctx_.booking.delete_absence(*org, *id, scoped, staff.actor());
            if (r.outcome != app::Outcome::ok) return gate_->not_found(req);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return saved(page, form_value(form, "agent"));
        });
    }

    // "YYYY-MM-DD" + "HH:MM" (24:00: the next midnight) in the organisation's zone.
    static std::optional<core::Instant> instant_of(const app::OrgData& org, const std::string& day,
                                                   const std::string& time) {
        auto d = core::parse_ymd(day);
        auto m = parse_hhmm(time);
        if (!d || !m) return std::nullopt;
        auto zone = org.default_zone();
        // Through local midnight and the local time of day (DST days keep their hours).
        auto local = date::local_days(date::days(*d)) + std::chrono::minutes(*m);
        auto t = zone->to_sys(local, date::choose::earliest);
        return core::Instant(t.time_since_epoch() / std::chrono::seconds(1));
    }

    Response add_absence(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return on_agenda(
            req, form, [&](Staff& staff, Page& page, const app::OrgData& org, core::Id agent) {
                app::AbsenceRequest a;
                a.agent_id = agent;
                a.actor = staff.actor();
                a.reason = form_value(form, "absence_reason");
                core::FieldErrors errors;
                auto start = instant_of(org, form_value(form, "absence_start_date"),
                                        form_value(form, "absence_start_time"));
                auto end = instant_of(org, form_value(form, "absence_end_date"),
                                      form_value(form, "absence_end_time"));
                if (!start) errors["start"] = "availability.error.date";
                if (!end) errors["end"] = "availability.error.date";
                app::AbsenceResult r;
                if (errors.empty()) {
                    a.span = {*start, *end};
                    for (auto& [name, value] : form) {
                        if (name.rfind("action_", 0) != 0) continue;
                        auto id = parse_id(name.substr(7));
                        if (!id) continue;
                        auto suffix = "_" + std::to_string(*id);
                        app::AbsenceChoice c;
                        c.appointment_id = *id;
                        c.action = value;
                        c.agent_id = parse_id(form_value(form, "agent" + suffix)).value_or(0);
                        c.start = parse_id(form_value(form, "start" + suffix)).value_or(0);
                        c.reason = form_value(form, "reason" + suffix);
                        a.choices.push_back(c);
                    }
                    r = ctx_.booking.add_absence(org, a);
                } else {
                    r.outcome = app::Outcome::invalid;
                    r.errors = errors;
                }
                if (r.outcome == app::Outcome::ok) return saved(page, std::to_string(agent));
                // The absence form's fields are named apart from the plan form's on the same page.
                core::FieldErrors errors_shown;
                for (auto& [field, key] : r.errors)
                    errors_shown[field == "start" || field == "end" || field == "reason"
                                     ? "absence_" + field
                                     : field] = key;
                add_console_errors(page, errors_shown, "availability");
                if (!r.hit.empty()) hit_choices(page, org, r.hit, agent, a.span, form);
                return render(page, staff, org, agent,
                              r.outcome == app::Outcome::conflict ? 409 : 422, form);
            });
    }

    Response add_recurring(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return on_agenda(
            req, form, [&](Staff& staff, Page& page, const app::OrgData& org, core::Id agent) {
                // Read like a plan from the r_ fields.
                http::Params plan_fields;
                for (auto& [name, value] : form)
                    if (name.rfind("r_", 0) == 0) plan_fields.emplace(name.substr(2), value);
                core::FieldErrors errors;
                auto p = read_plan(plan_fields, agent, errors);
                app::RecurringResult r;
                if (errors.empty())
                    r = app::add_recurring_absence(ctx_.booking, org, {agent, p.rule},
                                                   form_value(form, "r_reason"), staff.actor());
                else
                    r.result = {app::Outcome::invalid, errors, 0};
                if (r.result.outcome == app::Outcome::ok) return saved(page, std::to_string(agent));
                if (r.result.outcome == app::Outcome::not_found) return gate_->not_found(req);
                core::FieldErrors shown;
                for (auto& [field, key] : r.result.errors) shown["recurring_" + field] = key;
                if (r.result.outcome == app::Outcome::conflict) {
                    shown["recurring_weekdays"] = "availability.error.recurring_hits";
                    std::vector<store::Agent> agents;
                    ctx_.booking.store().read(
                        [&](store::Session& s) { agents = s.agents(org.org.id); });
                    mstch::array rows;
                    for (auto& a : r.hit) rows.push_back(appointment_row(page, org, a, agents));
                    page.data()["recurring_hit"] = rows;
                    page.data()["has_recurring_hit"] = true;
                }
                add_console_errors(page, shown, "availability");
                return render(page, staff, org, agent,
                              r.result.outcome == app::Outcome::conflict ? 409 : 422, form);
            });
    }

    Response remove_recurring(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"agent", "admin"}, [&](Staff& staff) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            auto org = ctx_.booking.organisation(staff.organisation_slug);
            std::optional<core::Id> scoped =
                staff.admin() ? std::nullopt : std::optional(staff.agent_id.value_or(0));
            auto r = app::delete_recurring_absence(ctx_.booking, *org, *id, scoped, staff.actor());
            if (r.outcome != app::Outcome::ok) return gate_->not_found(req);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return saved(page, form_value(form, "agent"));
        });
    }

    // For each appointment the absence hits: reassign (free agents), move (free slots after
    // the absence), cancel (reason).
    void hit_choices(Page& page, const app::OrgData& org,
                     const std::vector<store::Appointment>& hit, core::Id absent,
                     core::Interval span, const http::Params& form) {
        std::vector<store::Agent> agents;
        ctx_.booking.store().read([&](store::Session& s) { agents = s.agents(org.org.id); });
        mstch::array items;
        for (auto& a : hit) {
            auto row = appointment_row(page, org, a, agents);
            auto id = std::to_string(a.id);
            auto action = form_value(form, "action_" + id);
            row["reassign_checked"] = action == "reassign";
            row["move_checked"] = action == "move";
            row["cancel_checked"] = action == "cancel";
            row["reason"] = form_value(form, "reason_" + id);
            if (auto e = page.data().find("error_choice_" + id); e != page.data().end())
                row["error"] = e->second;
            mstch::array free;
            for (auto agent : ctx_.booking.reassign_candidates(org, a, {absent}))
                for (auto& x : agents)
                    if (x.id == agent)
                        free.push_back(mstch::map{
                            {"id", std::to_string(x.id)},
                            {"name", x.display_name},
                            {"selected", form_value(form, "agent_" + id) == std::to_string(x.id)}});
            row["has_agents"] = !free.empty();
            row["agents"] = free;
            mstch::array slots;
            auto zone = org.site(a.site_id) ? org.zone(*org.site(a.site_id)) : org.default_zone();
            for (auto& s : ctx_.booking.move_options(org, a, std::max(span.end, ctx_.now()), 8))
                slots.push_back(mstch::map{
                    {"value", std::to_string(s.start)},
                    {"label", page.format_datetime(s.start, zone)},
                    {"selected", form_value(form, "start_" + id) == std::to_string(s.start)}});
            row["has_slots"] = !slots.empty();
            row["slots"] = slots;
            items.push_back(row);
        }
        page.data()["hit"] = items;
        page.data()["has_hit"] = !items.empty();
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
};

}  // namespace

void register_availability_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto pages = std::make_shared<AvailabilityPages>(gate);
    router.get("/console/availability", [pages](Request& r) { return pages->show(r); });
    router.post("/console/availability/plans",
                [pages](Request& r) { return pages->save_plan(r, std::nullopt); });
    router.get("/console/availability/plans/{id}", [pages](Request& r) { return pages->edit(r); });
    router.post("/console/availability/plans/{id}", [pages](Request& r) {
        auto id = StaffGate::id_param(r, "id");
        if (!id) return pages->save_plan(r, core::Id(-1));
        return pages->save_plan(r, *id);
    });
    router.post("/console/availability/plans/{id}/delete",
                [pages](Request& r) { return pages->remove(r, true); });
    router.post("/console/availability/absences",
                [pages](Request& r) { return pages->add_absence(r); });
    router.post("/console/availability/absences/{id}/delete",
                [pages](Request& r) { return pages->remove(r, false); });
    router.post("/console/availability/recurring",
                [pages](Request& r) { return pages->add_recurring(r); });
    router.post("/console/availability/recurring/{id}/delete",
                [pages](Request& r) { return pages->remove_recurring(r); });
}

}  // namespace vg::web
