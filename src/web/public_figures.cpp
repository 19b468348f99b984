#include "web/public_figures.hpp"

#include <date/tz.h>

#include "app/published_figures.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::web {

using http::Request;
using http::Response;

namespace {

const char* const kFigures[] = {"held", "video_share", "median_delay", "satisfaction"};
const char* const kLanguageNames[][2] = {
    {"fr", "Français"}, {"en", "English"}, {"nl", "Nederlands"}, {"de", "Deutsch"}};

// "3,5" (French, Dutch, German) / "3.5" (English).
std::string decimal(const Page& page, double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    std::string s = buf;
    if (page.lang() != "en")
        for (auto& c : s)
            if (c == '.') c = ',';
    return s;
}

std::string percent(const Page& page, double share) {
    return decimal(page, share * 100, 0) + " %";
}

class FigurePages {
  public:
    explicit FigurePages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()), figures_(ctx_.booking) {}

    // --- the public page ------------------------------------------------------------------

    Response show(Request& req) {
        auto slug = req.path_param("org");
        auto org = slug && slug->size() <= 64 ? ctx_.booking.organisation(*slug) : nullptr;
        if (!org) {
            Page page(ctx_, req, nullptr);
            return page.error(404, "error_page.not_found");
        }
        Page page(ctx_, req, &*org);
        auto v = figures_.view(*org);
        auto& d = page.data();
        d["published"] = v.published();
        d["home_url"] = "/" + org->org.slug + "/?lang=" + page.lang();
        if (v.month) month(page, v.choice, *v.month);
        if (v.delays) delays(page, *v.delays, org->default_zone());
        return page.render(200, "citizen/figures", page.t("public_figures.title"));
    }

    std::string month_name(const Page& page, const stats::Period& p) {
        auto parts = core::day_parts(p.first);
        auto& months = ctx_.i18n.catalogue(page.lang())["date"]["months"];
        std::string name = months.is_array() && months.size() == 12
                               ? months[size_t(parts.month - 1)].get<std::string>()
                               : std::to_string(parts.month);
        return name + " " + std::to_string(parts.year);
    }

    void month(Page& page, const store::FigureChoice& c, const app::MonthFigures& m) {
        auto& d = page.data();
        auto none = page.t("public_figures.no_data");
        mstch::array rows;
        auto row = [&](const std::string& key, const std::string& value) {
            rows.push_back(mstch::map{{"label", page.t("public_figures.figure_" + key)},
                                      {"value", value},
                                      {"note", page.t("public_figures.note_" + key)}});
        };
        if (c.held) row("held", std::to_string(m.held));
        if (c.video_share) row("video_share", m.video_share ? percent(page, *m.video_share) : none);
        if (c.median_delay)
            row("median_delay", m.median_delay_days
                                    ? text::I18n::fill(page.t("public_figures.days"), "{n}",
                                                       decimal(page, *m.median_delay_days, 1))
                                    : none);
        if (c.satisfaction)
            row("satisfaction",
                m.average_rating && m.csat_share
                    ? text::I18n::fill(
                          text::I18n::fill(
                              text::I18n::fill(page.t("public_figures.satisfaction_value"),
                                               "{average}", decimal(page, *m.average_rating, 1)),
                              "{share}", percent(page, *m.csat_share)),
                          "{answers}", std::to_string(m.answers))
                    : none);
        d["month_rows"] = rows;
        d["has_month"] = true;
        d["month_caption"] = text::I18n::fill(page.t("public_figures.month_caption"), "{month}",
                                              month_name(page, m.period));
        d["month_heading"] = text::I18n::fill(page.t("public_figures.month_heading"), "{month}",
                                              month_name(page, m.period));
    }

    void delays(Page& page, const store::DelayWeek& w, const date::time_zone* zone) {
        auto& d = page.data();
        d["has_delays"] = true;
        d["delays_rows"] = delay_rows(page, w);
        d["delays_dated"] = text::I18n::fill(
            text::I18n::fill(page.t("public_figures.delays_dated"), "{updated}",
                             page.format_date(core::local_day_of(w.created_at, zone))),
            "{week}", page.format_date(w.week));
    }

    static mstch::array delay_rows(const Page& page, const store::DelayWeek& w) {
        mstch::array rows;
        for (auto& l : w.lines)
            rows.push_back(mstch::map{{"label", l.label.pick(page.lang())},
                                      {"from", page.format_date(l.from)},
                                      {"to", page.format_date(l.to)}});
        return rows;
    }

    // --- the administration page ------------------------------------------------------------

    Response admin_page(Request& req) {
        return gate_->with_staff(req, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto c = figures_.choice(staff.organisation_id);
            app::Fields choice;
            if (c.held) choice["held"] = "1";
            if (c.video_share) choice["video_share"] = "1";
            if (c.median_delay) choice["median_delay"] = "1";
            if (c.satisfaction) choice["satisfaction"] = "1";
            if (c.delays) choice["delays"] = "1";
            if (req.q("saved")) page.data()["saved"] = true;
            return render(page, staff, 200, choice, delay_fields(staff, {}), {});
        });
    }

    Response save_choice(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            auto r = figures_.save_choice(staff.organisation_id, form_fields(form), staff.actor());
            if (r.not_found) return gate_->not_found(req);
            return Response::redirect("/console/admin/figures?saved=1", 303);
        });
    }

    Response save_delays(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            auto f = form_fields(form);
            auto r = figures_.save_delays(staff.organisation_id, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (r.ok()) return Response::redirect("/console/admin/figures?saved=1#delays", 303);
            Page page(ctx_, req, nullptr, staff.current.account.language);
            auto c = figures_.choice(staff.organisation_id);
            app::Fields choice;
            for (auto [flag, on] : {std::pair{"held", c.held},
                                    {"video_share", c.video_share},
                                    {"median_delay", c.median_delay},
                                    {"satisfaction", c.satisfaction},
                                    {"delays", c.delays}})
                if (on) choice[flag] = "1";
            return render(page, staff, 422, choice, delay_fields(staff, f), r.errors);
        });
    }

  private:
    core::LocalDay today(const Staff& staff) {
        auto org = ctx_.booking.organisation(staff.organisation_slug);
        return core::local_day_of(ctx_.now(),
                                  org ? org->default_zone() : core::zone_or_default(""));
    }

    // The delays form's values: those sent back, or the latest week's lines (the labels stay
    // from week to week: only the dates change) and the current week.
    app::Fields delay_fields(const Staff& staff, const app::Fields& sent) {
        if (!sent.empty()) return sent;
        app::Fields f;
        f["week"] = core::format_ymd(core::monday_of(today(staff)));
        auto latest = figures_.history(staff.organisation_id, 1);
        if (latest.empty()) return f;
        int n = 0;
        for (auto& l : latest.front().lines) {
            auto i = std::to_string(++n);
            for (auto& [lang, v] : l.label.by_lang) f["label_" + lang + "_" + i] = v;
            f["from_" + i] = core::format_ymd(l.from);
            f["to_" + i] = core::format_ymd(l.to);
        }
        return f;
    }

    Response render(Page& page, const Staff& staff, int status, const app::Fields& choice,
                    const app::Fields& f, const core::FieldErrors& errors) {
        auto& d = page.data();
        d["admin_org"] = staff.organisation_name;
        d["public_url"] = "/" + staff.organisation_slug + "/chiffres";
        mstch::array flags;
        for (auto key : kFigures)
            flags.push_back(
                mstch::map{{"name", std::string(key)},
                           {"label", page.t(std::string("public_figures.figure_") + key)},
                           {"checked", choice.count(key) > 0}});
        d["figure_flags"] = flags;
        d["delays_checked"] = choice.count("delays") > 0;

        // Week: this one or the next.
        auto monday = core::monday_of(today(staff));
        auto chosen = f.count("week") ? f.at("week") : core::format_ymd(monday);
        mstch::array weeks;
        for (auto [day, key] : {std::pair{monday, "this_week"}, {monday + 7, "next_week"}})
            weeks.push_back(
                mstch::map{{"value", core::format_ymd(day)},
                           {"label", text::I18n::fill(page.t(std::string("public_figures.") + key),
                                                      "{date}", page.format_date(day))},
                           {"selected", chosen == core::format_ymd(day)}});
        d["weeks"] = weeks;
        auto error_of = [&](const std::string& field) -> std::string {
            auto it = errors.find(field);
            return it == errors.end() ? std::string() : page.t(it->second);
        };
        if (auto e = error_of("week"); !e.empty()) d["error_week"] = e;

        // Lines: those filled, then empty ones, at most kMaxDelayLines.
        int filled = 0;
        for (int n = 1; n <= app::kMaxDelayLines; ++n)
            for (auto& [k, v] : f)
                if (!v.empty() && k != "week" && k != "csrf" &&
                    k.ends_with("_" + std::to_string(n)) &&
                    (k.starts_with("label_") || k.starts_with("from_") || k.starts_with("to_")))
                    filled = n;
        int shown = std::min(app::kMaxDelayLines, std::max(filled + 2, 3));
        mstch::array lines;
        auto value = [&](const std::string& k) { return f.count(k) ? f.at(k) : std::string(); };
        for (int n = 1; n <= shown; ++n) {
            auto i = std::to_string(n);
            mstch::array translations;
            bool translation_error = false;
            for (auto& [code, name] : kLanguageNames) {
                if (std::string(code) == "fr") continue;
                auto field = "label_" + std::string(code) + "_" + i;
                auto e = error_of(field);
                translation_error = translation_error || !e.empty();
                translations.push_back(mstch::map{{"field", field},
                                                  {"code", std::string(code)},
                                                  {"language", std::string(name)},
                                                  {"value", value(field)},
                                                  {"error", e}});
            }
            lines.push_back(mstch::map{
                {"n", i},
                {"legend", text::I18n::fill(page.t("public_figures.line"), "{n}", i)},
                {"label_fr", value("label_fr_" + i)},
                {"from", value("from_" + i)},
                {"to", value("to_" + i)},
                {"error_label", error_of("label_fr_" + i)},
                {"error_from", error_of("from_" + i)},
                {"error_to", error_of("to_" + i)},
                {"translations", translations},
                {"open", translation_error || !value("label_en_" + i).empty() ||
                             !value("label_nl_" + i).empty() || !value("label_de_" + i).empty()}});
        }
        d["lines"] = lines;
        d["max_label"] = std::to_string(app::kMaxDelayLabel);

        // The error summary: "Line 2, from: ...".
        mstch::array list;
        for (auto& [field, key] : errors) {
            std::string label;
            if (field == "week") {
                label = page.t("public_figures.field_week");
            } else {
                auto cut = field.rfind('_');
                auto n = field.substr(cut + 1);
                auto base = field.substr(0, cut);
                label = text::I18n::fill(page.t("public_figures.line"), "{n}", n) + ", " +
                        page.t("public_figures.field_" +
                               (base.starts_with("label_") ? std::string("label") : base));
                if (base.starts_with("label_")) label += " (" + base.substr(6) + ")";
            }
            list.push_back(
                mstch::map{{"field", field}, {"label", label}, {"message", page.t(key)}});
        }
        if (!list.empty()) {
            d["errors"] = list;
            d["has_errors"] = true;
        }

        // History: every week typed, newest first.
        mstch::array history;
        auto zone = core::zone_or_default("");
        if (auto org = ctx_.booking.organisation(staff.organisation_slug))
            zone = org->default_zone();
        for (auto& w : figures_.history(staff.organisation_id))
            history.push_back(mstch::map{
                {"caption",
                 text::I18n::fill(text::I18n::fill(page.t("public_figures.history_caption"),
                                                   "{week}", page.format_date(w.week)),
                                  "{updated}", page.format_datetime(w.created_at, zone))},
                {"rows", delay_rows(page, w)}});
        d["history"] = history;
        d["has_history"] = !history.empty();
        return page.render(status, "admin/figures", page.t("public_figures.admin_title"));
    }

    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::PublishedFigures figures_;
};

}  // namespace

void register_public_figures_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<FigurePages>(gate);
    router.get("/console/admin/figures", [p](Request& r) { return p->admin_page(r); });
    router.post("/console/admin/figures", [p](Request& r) { return p->save_choice(r); });
    router.post("/console/admin/figures/delays", [p](Request& r) { return p->save_delays(r); });
    router.get("/{org}/chiffres", [p](Request& r) { return p->show(r); });
    // The page's name in the other languages sends to it in that language.
    for (auto [word, lang] : {std::pair{"figures", "en"}, {"cijfers", "nl"}, {"zahlen", "de"}})
        router.get(std::string("/{org}/") + word, [lang, &ctx = gate->context()](Request& r) {
            auto slug = *r.path_param("org");
            if (slug.size() > 64 || !ctx.booking.organisation(slug)) {
                Page page(ctx, r, nullptr);
                return page.error(404, "error_page.not_found");
            }
            return Response::redirect(
                "/" + http::url_encode(slug) + "/chiffres?lang=" + std::string(lang), 301);
        });
}

}  // namespace vg::web
