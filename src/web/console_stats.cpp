#include "web/console_stats.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "app/api_keys.hpp"
#include "app/staff_scope.hpp"
#include "core/timefmt.hpp"
#include "stats/headlines.hpp"
#include "stats/report.hpp"
#include "text/i18n.hpp"
#include "web/console_agenda.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

const char* const kOrigins[] = {"citizen", "agent", "partner", "tutor"};
const char* const kChannels[] = {"video", "on_site", "phone"};
const char* const kLanguages[] = {"fr", "en", "nl", "de"};

// What the filter form asked, checked against the organisation and the person's scope.
struct Asked {
    stats::Filter filter;
    std::optional<core::Id> team;
    bool with_contacts = false;
    bool sees_all = false;  // administrator, or supervisor of every agent
    std::vector<core::Id> scope;
    std::vector<store::Team> teams;
    std::vector<store::Agent> agents;
    std::vector<store::Site> sites;
    std::vector<store::Motif> motifs;
};

std::optional<core::Id> number(const std::optional<std::string>& v) {
    if (!v || v->empty() || v->size() > 15) return std::nullopt;
    core::Id n = 0;
    for (char c : *v) {
        if (c < '0' || c > '9') return core::Id(-1);
        n = n * 10 + (c - '0');
    }
    return n;
}

// Numbers in the page's language (stats/headlines.hpp writes them for page and digest).
std::string fixed(const Page& page, double v, int digits) {
    return stats::decimal(v, digits, page.lang());
}

std::string percent(const Page& page, const std::optional<double>& v) {
    return stats::percent(v, page.lang());
}

// A horizontal bar chart: SVG geometry computed here, drawn by stats_chart.mustache with its
// data table (screen readers read the table; the SVG is hidden from them).
mstch::map chart(const std::string& id, const std::string& title,
                 const std::vector<std::pair<std::string, int>>& data) {
    int max = 1;
    for (auto& [label, v] : data) max = std::max(max, v);
    constexpr int row = 26, label_width = 170, bar_width = 300;
    mstch::array bars;
    int y = 0;
    for (auto& [label, v] : data) {
        int w = int(std::lround(double(v) / max * bar_width));
        bars.push_back(mstch::map{{"label", label},
                                  {"value", std::to_string(v)},
                                  {"y", std::to_string(y)},
                                  {"text_y", std::to_string(y + 17)},
                                  {"bar_x", std::to_string(label_width)},
                                  {"width", std::to_string(std::max(w, v > 0 ? 1 : 0))},
                                  {"value_x", std::to_string(label_width + w + 6)}});
        y += row;
    }
    return mstch::map{{"id", id},
                      {"title", title},
                      {"bars", bars},
                      {"empty", data.empty()},
                      {"height", std::to_string(std::max(y, row))},
                      {"width", std::to_string(label_width + bar_width + 60)}};
}

class StatsPages {
  public:
    explicit StatsPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()) {}

    // Nullopt: an id of the query is not of this organisation or not visible (404).
    std::optional<Asked> asked(const Staff& staff, const Request& req, const Page& page,
                               std::string& error) {
        Asked a;
        auto subject = scope_of(staff);
        ctx_.booking.store().read([&](store::Session& s) {
            a.scope = app::visible_agents(s, subject);
            a.teams = s.teams(staff.organisation_id);
            a.agents = s.agents(staff.organisation_id);
            a.sites = s.sites(staff.organisation_id);
            a.motifs = s.motifs(staff.organisation_id);
        });
        a.sees_all = staff.admin() || (staff.supervisor() && a.scope.size() == a.agents.size());
        auto org = ctx_.booking.organisation(staff.organisation_slug);
        auto zone = org ? org->default_zone() : core::zone_or_default("");
        auto today = core::local_day_of(ctx_.now(), zone);
        auto from = req.q("from") ? core::parse_ymd(*req.q("from")) : std::optional(today - 29);
        auto to = req.q("to") ? core::parse_ymd(*req.q("to")) : std::optional(today);
        if (req.q("from") && req.q("from")->empty()) from = today - 29;
        if (req.q("to") && req.q("to")->empty()) to = today;
        if (!from || !to || *from > *to || *to - *from > 366 * 3) {
            error = page.t("stats.error.period");
            from = today - 29;
            to = today;
        }
        a.filter.period = {*from, *to};
        auto id = [&](const char* name, auto&& known) -> std::optional<std::optional<core::Id>> {
            auto n = number(req.q(name));
            if (!n) return std::optional<core::Id>();
            if (*n < 0 || !known(*n)) return std::nullopt;
            return std::optional<core::Id>(*n);
        };
        auto in_scope = [&](core::Id x) {
            return std::binary_search(a.scope.begin(), a.scope.end(), x);
        };
        auto site = id("site", [&](core::Id x) {
            return std::any_of(a.sites.begin(), a.sites.end(), [&](auto& s) { return s.id == x; });
        });
        auto motif = id("motif", [&](core::Id x) {
            return std::any_of(a.motifs.begin(), a.motifs.end(),
                               [&](auto& m) { return m.id == x; });
        });
        auto team = id("team", [&](core::Id x) {
            return std::any_of(a.teams.begin(), a.teams.end(), [&](auto& t) { return t.id == x; });
        });
        auto agent = id("agent", in_scope);
        if (!site || !motif || !team || !agent) return std::nullopt;
        a.filter.site = *site;
        a.filter.motif = *motif;
        a.filter.agent = *agent;
        a.team = *team;
        if (auto c = req.q("channel"); c && !c->empty()) {
            a.filter.channel = core::parse_channel(*c);
            if (!a.filter.channel) error = page.t("stats.error.filter");
        }
        auto pick = [&](const char* name, const auto& allowed) -> std::optional<std::string> {
            auto v = req.q(name);
            if (!v || v->empty()) return std::nullopt;
            for (auto x : allowed)
                if (*v == x) return *v;
            error = page.t("stats.error.filter");
            return std::nullopt;
        };
        a.filter.origin = pick("origin", kOrigins);
        a.filter.language = pick("language", kLanguages);
        // The scope, narrowed by the team; an administrator's is the whole organisation
        // (appointments of agents removed since count too).
        std::vector<core::Id> agents = a.scope;
        if (a.team)
            for (auto& t : a.teams)
                if (t.id == *a.team) {
                    std::vector<core::Id> both;
                    std::set_intersection(agents.begin(), agents.end(), t.agent_ids.begin(),
                                          t.agent_ids.end(), std::back_inserter(both));
                    agents = both;
                }
        if (!staff.admin() || a.team) a.filter.agents = agents;
        a.with_contacts = staff.admin() && req.q("contacts") == std::optional<std::string>("1");
        return a;
    }

    // The query of the filter (for links: export, other languages).
    static std::string query(const Asked& a) {
        std::string q = "from=" + core::format_ymd(a.filter.period.first) +
                        "&to=" + core::format_ymd(a.filter.period.last);
        auto add = [&](const char* k, const std::optional<core::Id>& v) {
            if (v) q += std::string("&") + k + "=" + std::to_string(*v);
        };
        add("site", a.filter.site);
        add("team", a.team);
        add("agent", a.filter.agent);
        add("motif", a.filter.motif);
        if (a.filter.channel) q += "&channel=" + std::string(core::to_string(*a.filter.channel));
        if (a.filter.origin) q += "&origin=" + *a.filter.origin;
        if (a.filter.language) q += "&language=" + *a.filter.language;
        return q;
    }

    void form(Page& page, const Asked& a) {
        auto& d = page.data();
        d["from"] = core::format_ymd(a.filter.period.first);
        d["to"] = core::format_ymd(a.filter.period.last);
        auto options = [&](auto& list, auto&& id_of, auto&& label_of,
                           std::optional<core::Id> chosen) {
            mstch::array out;
            for (auto& x : list)
                out.push_back(mstch::map{{"value", std::to_string(id_of(x))},
                                         {"label", label_of(x)},
                                         {"selected", chosen == id_of(x)}});
            return out;
        };
        d["sites"] = options(
            a.sites, [](auto& s) { return s.id; }, [](auto& s) { return s.name; }, a.filter.site);
        d["motifs"] = options(
            a.motifs, [](auto& m) { return m.id; },
            [&](auto& m) { return m.name.pick(page.lang()); }, a.filter.motif);
        std::vector<store::Agent> visible;
        for (auto& x : a.agents)
            if (std::binary_search(a.scope.begin(), a.scope.end(), x.id)) visible.push_back(x);
        d["agents"] = options(
            visible, [](auto& x) { return x.id; }, [](auto& x) { return x.display_name; },
            a.filter.agent);
        d["has_agents"] = visible.size() > 1;
        d["teams"] = options(
            a.teams, [](auto& t) { return t.id; }, [](auto& t) { return t.name; }, a.team);
        d["has_teams"] = !a.teams.empty() && visible.size() > 1;
        auto codes = [&](const auto& list, const std::string& prefix,
                         const std::optional<std::string>& chosen) {
            mstch::array out;
            for (auto x : list)
                out.push_back(mstch::map{{"value", std::string(x)},
                                         {"label", page.t(prefix + x)},
                                         {"selected", chosen == std::string(x)}});
            return out;
        };
        std::optional<std::string> ch;
        if (a.filter.channel) ch = std::string(core::to_string(*a.filter.channel));
        d["channels"] = codes(kChannels, "channel.", ch);
        d["origins"] = codes(kOrigins, "stats.origin.", a.filter.origin);
        d["language_choices"] = codes(kLanguages, "language.", a.filter.language);
        d["admin"] = a.sees_all && a.filter.agents == std::nullopt;
    }

    Response page(const Request& req) {
        return gate_->with_staff(req, {"agent", "supervisor", "admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            std::string error;
            auto a = asked(staff, req, page, error);
            if (!a) return gate_->not_found(req);
            bool messages = a->sees_all && !a->filter.agents;
            if (staff.supervisor() && a->sees_all && !a->team && !a->filter.agent) messages = true;
            auto r =
                stats::report(ctx_.booking.store(), staff.organisation_id, a->filter, messages);
            if (!r) return page.error(404, "error_page.not_found");
            form(page, *a);
            auto& d = page.data();
            if (!error.empty()) d["error"] = error;
            d["is_admin"] = staff.admin();
            d["previous_from"] = page.format_date(stats::previous(a->filter.period).first);
            d["previous_to"] = page.format_date(stats::previous(a->filter.period).last);
            d["period_from"] = page.format_date(a->filter.period.first);
            d["period_to"] = page.format_date(a->filter.period.last);
            figures(page, *r, *a);
            if (messages) {
                mstch::array months;
                for (auto& [month, m] : r->messages)
                    months.push_back(mstch::map{{"month", month},
                                                {"sent", std::to_string(m.sent)},
                                                {"email", std::to_string(m.email)},
                                                {"sms", std::to_string(m.sms)},
                                                {"sms_segments", std::to_string(m.sms_segments)},
                                                {"failed", std::to_string(m.failed)},
                                                {"dead", std::to_string(m.dead)}});
                d["show_messages"] = true;
                d["months"] = months;
                d["has_months"] = !months.empty();
            }
            if (staff.admin()) {
                mstch::array keys;
                auto zone = core::zone_or_default(r->organisation.default_time_zone);
                std::vector<store::ApiKey> list;
                ctx_.booking.store().read(
                    [&](store::Session& s) { list = s.api_keys(staff.organisation_id); });
                for (auto& k : list)
                    keys.push_back(mstch::map{{"id", std::to_string(k.id)},
                                              {"name", k.name},
                                              {"created", page.format_datetime(k.created_at, zone)},
                                              {"revoked", k.revoked_at.has_value()}});
                d["has_keys"] = !keys.empty();
                d["keys"] = keys;
                d["key_notice"] = req.q("revoked").has_value();
            }
            return page.render(error.empty() ? 200 : 400, "console/stats_page",
                               page.t("stats.title"));
        });
    }

    void figures(Page& page, const stats::Report& r, const Asked& a) {
        auto& d = page.data();
        auto& c = r.current;
        auto& p = r.previous;
        mstch::array heads;
        for (auto& h : stats::headlines(c, p, page.lang(), page.t("stats.days")))
            heads.push_back(mstch::map{{"label", page.t("stats.figure." + h.key)},
                                       {"value", h.value},
                                       {"previous", h.previous},
                                       {"change", h.change}});
        auto days = [&](const std::optional<double>& v) {
            return v ? fixed(page, *v, 1) + " " + page.t("stats.days") : std::string("–");
        };
        d["headlines"] = heads;

        auto name_of = [&](const auto& list, core::Id id) -> std::string {
            for (auto& x : list)
                if (x.id == id) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(x)>, store::Motif>)
                        return x.name.pick(page.lang());
                    else if constexpr (std::is_same_v<std::decay_t<decltype(x)>, store::Agent>)
                        return x.display_name;
                    else
                        return x.name;
                }
            return "#" + std::to_string(id);
        };
        auto coded = [&](const std::map<std::string, int>& m, const std::string& prefix) {
            std::vector<std::pair<std::string, int>> out;
            for (auto& [k, v] : m) out.push_back({page.t(prefix + k), v});
            return out;
        };
        auto by_id = [&](const std::map<core::Id, int>& m, const auto& list) {
            std::vector<std::pair<std::string, int>> out;
            for (auto& [k, v] : m) out.push_back({name_of(list, k), v});
            std::sort(out.begin(), out.end(), [](auto& x, auto& y) { return x.second > y.second; });
            return out;
        };
        std::vector<std::pair<std::string, int>> hours, weekdays;
        for (int h = 0; h < 24; ++h) {
            char label[8];
            std::snprintf(label, sizeof label, "%02d h", h);
            hours.push_back({label, c.by_hour[size_t(h)]});
        }
        for (int w = 0; w < 7; ++w)
            weekdays.push_back(
                {page.t("stats.weekday." + std::to_string(w)), c.by_weekday[size_t(w)]});
        std::vector<std::pair<std::string, int>> ratings;
        for (int i = 0; i < 5; ++i)
            ratings.push_back({std::to_string(i + 1) + " / 5", c.ratings[size_t(i)]});
        mstch::array charts{
            chart("origin", page.t("stats.chart.origin"), coded(c.by_origin, "stats.origin.")),
            chart("channel", page.t("stats.chart.channel"), coded(c.by_channel, "channel.")),
            chart("motif", page.t("stats.chart.motif"), by_id(c.by_motif, r.motifs)),
            chart("site", page.t("stats.chart.site"), by_id(c.by_site, r.sites)),
            chart("language", page.t("stats.chart.language"), coded(c.by_language, "language.")),
            chart("hour", page.t("stats.chart.hour"), hours),
            chart("weekday", page.t("stats.chart.weekday"), weekdays),
        };
        d["charts"] = charts;

        auto row = [&](const std::string& key, const std::string& value) {
            return mstch::map{{"label", page.t("stats.outcome." + key)}, {"value", value}};
        };
        d["outcomes"] = mstch::array{
            row("scheduled", std::to_string(c.scheduled)),
            row("held", std::to_string(c.held)),
            row("no_shows", std::to_string(c.no_shows)),
            row("cancelled_by_citizen", std::to_string(c.cancelled_by_citizen)),
            row("cancelled_by_agency", std::to_string(c.cancelled_by_agency)),
            row("moved_to_phone", std::to_string(c.moved_to_phone)),
            row("rescheduled", std::to_string(c.rescheduled)),
            row("upcoming", std::to_string(c.upcoming)),
            row("no_show_rate", percent(page, c.no_show_rate())),
            row("confirmed_share", percent(page, c.confirmed_share())),
            row("median_delay", days(c.median_booking_delay_days)),
            row("p90_delay", days(c.p90_booking_delay_days)),
        };
        mstch::array reasons;
        for (auto& [reason, n] : c.cancel_reasons)
            reasons.push_back(
                mstch::map{{"reason", reason.empty() ? page.t("stats.no_reason") : reason},
                           {"count", std::to_string(n)}});
        d["reasons"] = reasons;
        d["has_reasons"] = !reasons.empty();

        // Qualification: labels of the organisation's items.
        std::map<std::string, std::string> labels;
        std::vector<store::OutcomeItem> items;
        ctx_.booking.store().read(
            [&](store::Session& s) { items = s.outcome_items(r.organisation.id); });
        for (auto& i : items) labels[i.code] = i.label.pick(page.lang());
        auto label = [&](const std::string& code) {
            if (code.empty()) return page.t("stats.none");
            auto it = labels.find(code);
            return it != labels.end() ? it->second : code;
        };
        auto counts = [&](const std::map<std::string, int>& m) {
            mstch::array out;
            for (auto& [k, v] : m)
                out.push_back(mstch::map{{"label", label(k)}, {"count", std::to_string(v)}});
            return out;
        };
        d["qualified"] = std::to_string(c.qualified);
        d["request_types"] = counts(c.request_types);
        d["themes"] = counts(c.themes);
        d["autonomy"] = counts(c.autonomy);
        static const char* const kResolved[] = {"yes", "partially", "no"};
        mstch::array head;
        for (auto x : kResolved)
            head.push_back(mstch::map{{"label", page.t(std::string("appointment.resolved.") + x)}});
        d["cross_head"] = head;
        mstch::array cross;
        for (auto& [type, by] : c.request_type_by_resolved) {
            mstch::array cells;
            for (auto x : kResolved) {
                auto it = by.find(x);
                cells.push_back(
                    mstch::map{{"count", std::to_string(it != by.end() ? it->second : 0)}});
            }
            cross.push_back(mstch::map{{"label", label(type)}, {"cells", cells}});
        }
        d["cross"] = cross;
        d["has_qualification"] = c.qualified > 0;

        d["satisfaction_chart"] = chart("rating", page.t("stats.chart.rating"), ratings);
        d["answers"] = std::to_string(c.answers);
        d["average"] = c.average_rating ? fixed(page, *c.average_rating, 2) : "–";
        d["csat"] = percent(page, c.csat_share);
        mstch::array comments;
        for (auto& x : c.comments) comments.push_back(mstch::map{{"text", x}});
        d["comments"] = comments;
        d["has_comments"] = !comments.empty();

        // Agents' load and free time offered versus booked (hours, one decimal).
        auto as_hours = [&](core::Instant seconds) {
            return fixed(page, double(seconds) / 3600.0, 1);
        };
        std::set<core::Id> load_agents;
        for (auto& [agent, l] : c.load) load_agents.insert(agent);
        for (auto& [agent, x] : c.offered_seconds) load_agents.insert(agent);
        mstch::array load;
        for (auto agent : load_agents) {
            auto it = c.load.find(agent);
            auto l = it != c.load.end() ? it->second : stats::AgentLoad{};
            auto o = c.offered_seconds.find(agent);
            auto offered = o != c.offered_seconds.end() ? o->second : 0;
            std::optional<double> share;
            if (offered > 0) share = double(l.booked_seconds) / double(offered);
            load.push_back(mstch::map{{"agent", name_of(r.agents, agent)},
                                      {"appointments", std::to_string(l.appointments)},
                                      {"days", std::to_string(l.days)},
                                      {"per_day", fixed(page, l.per_day(), 1)},
                                      {"busiest", std::to_string(l.busiest_day)},
                                      {"offered", as_hours(offered)},
                                      {"booked", as_hours(l.booked_seconds)},
                                      {"share", percent(page, share)}});
        }
        d["load"] = load;
        d["has_load"] = !load.empty();
        d["offered_total"] = as_hours(c.offered_total());
        d["booked_total"] = as_hours(c.booked_total());
        d["booked_share"] = percent(page, c.booked_share());

        // Video: the rooms' journal (stats::VideoFigures).
        auto& v = c.video;
        auto minutes = [&](const std::optional<core::Instant>& x) {
            return x ? text::I18n::fill(page.t("stats.video.minutes"), "{n}",
                                        fixed(page, double(*x) / 60.0, 1))
                     : std::string("–");
        };
        auto vrow = [&](const std::string& key, const std::string& value) {
            return mstch::map{{"label", page.t("stats.video." + key)}, {"value", value}};
        };
        d["video"] = mstch::array{
            vrow("calls", std::to_string(v.calls)),
            vrow("median_wait", minutes(v.median_wait_seconds)),
            vrow("p90_wait", minutes(v.p90_wait_seconds)),
            vrow("median_call", minutes(v.median_duration_seconds)),
            vrow("connection_failures", std::to_string(v.connection_failures)),
            vrow("failed_calls", std::to_string(v.failed_calls)),
            vrow("ice_restarts", std::to_string(v.ice_restarts)),
            vrow("audio_fallbacks", std::to_string(v.audio_fallbacks)),
            vrow("phone_fallbacks", std::to_string(v.phone_fallbacks)),
            vrow("relayed_share", percent(page, v.relayed_share())),
        };
        mstch::array browsers;
        for (auto& [family, b] : v.by_browser)
            browsers.push_back(
                mstch::map{{"label", page.t("stats.video.browser." +
                                            (family.empty() ? std::string("unknown") : family))},
                           {"calls", std::to_string(b.calls)},
                           {"connected", std::to_string(b.connected)},
                           {"relayed", std::to_string(b.relayed)},
                           {"failed", std::to_string(b.failed)},
                           {"ice_restarts", std::to_string(b.ice_restarts)},
                           {"audio_fallbacks", std::to_string(b.audio_fallbacks)}});
        // Time to the first free slot (daily samples).
        mstch::array first;
        auto day_count = [&](const std::optional<int>& n) {
            return n ? std::to_string(*n) + " " + page.t("stats.days")
                     : page.t("stats.first_slot.none");
        };
        for (auto& [key, g] : c.first_slot)
            first.push_back(
                mstch::map{{"motif", name_of(r.motifs, key.first)},
                           {"channel", page.t("channel." + key.second)},
                           {"latest", day_count(g.latest)},
                           {"latest_day", core::format_ymd(g.latest_day)},
                           {"median", g.median ? day_count(g.median) : std::string("–")},
                           {"samples", std::to_string(g.samples)}});
        d["first_slot"] = first;
        d["has_first_slot"] = !first.empty();
        d["browsers"] = browsers;
        d["has_browsers"] = !browsers.empty();
        (void)a;
    }

    // The export of the filter, CSV or XLSX (the same lines: stats::export_rows), streamed:
    // written as the store's cursor gives the rows, on the producer's thread, never held
    // whole (docs/STATISTICS.md "Exports"). With contacts, journalled before its first byte.
    Response export_file(const Request& req, bool xlsx) {
        return gate_->with_staff(req, {"agent", "supervisor", "admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            std::string error;
            auto a = asked(staff, req, page, error);
            if (!a) return gate_->not_found(req);
            if (!error.empty()) {
                Response r = Response::text(400, error + "\n");
                return r;
            }
            Response res;
            res.status = 200;
            res.content_type =
                xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                     : "text/csv; charset=utf-8";
            res.header("Content-Disposition", "attachment; filename=\"statistics-" +
                                                  core::format_ymd(a->filter.period.first) + "-" +
                                                  core::format_ymd(a->filter.period.last) +
                                                  (xlsx ? ".xlsx" : ".csv") + "\"");
            res.header("Cache-Control", "no-store");
            // Everything the producer needs, copied: it runs after this handler returned.
            std::function<void(int)> journal;
            if (a->with_contacts)
                journal = [&db = ctx_.booking.store(), org = staff.organisation_id,
                           actor = staff.actor(), q = query(*a),
                           refused = page.t("stats.error.journal")](int lines) {
                    try {
                        stats::journal_export(db, org, actor, q, lines);
                    } catch (const std::exception& e) {
                        spdlog::error("export with contacts not journalled, not given: {}",
                                      e.what());
                        throw http::Refusal(Response::text(500, refused + "\n"));
                    }
                };
            res.stream = [&db = ctx_.booking.store(), org = staff.organisation_id,
                          filter = a->filter, contacts = a->with_contacts, lang = page.lang(),
                          journal, xlsx](http::BodyWriter& out) {
                auto sink = [&out](std::string_view bytes) { return out.write(bytes); };
                if (xlsx)
                    stats::export_xlsx(db, org, filter, contacts, lang, sink, journal);
                else
                    stats::export_csv(db, org, filter, contacts, lang, sink, journal);
            };
            return res;
        });
    }

    Response revoke_key(const Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            auto id = StaffGate::id_param(req, "id");
            if (!id || !app::revoke_api_key(ctx_.booking.store(), staff.organisation_id, *id,
                                            staff.actor()))
                return gate_->not_found(req);
            return Response::redirect("/console/stats?revoked=1#keys", 303);
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
};

}  // namespace

void register_stats_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto pages = std::make_shared<StatsPages>(gate);
    router.get("/console/stats", [pages](Request& r) { return pages->page(r); });
    router.get("/console/stats/export.csv",
               [pages](Request& r) { return pages->export_file(r, false); });
    router.get("/console/stats/export.xlsx",
               [pages](Request& r) { return pages->export_file(r, true); });
    router.post("/console/stats/keys/{id}/revoke",
                [pages](Request& r) { return pages->revoke_key(r); });
}

}  // namespace vg::web
