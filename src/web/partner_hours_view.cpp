// partner-hours: see partner_hours_view.hpp.
#include "web/partner_hours_view.hpp"

#include "text/i18n.hpp"

namespace vg::web {

std::string day_hours_text(const std::vector<core::OpeningSpan>& spans, int weekday) {
    std::string out;
    for (auto& x : spans) {
        if (x.weekday != weekday) continue;
        if (!out.empty()) out += ", ";
        out += app::format_hhmm(x.opens) + "\u2013" + app::format_hhmm(x.closes);
    }
    return out;
}

std::string closure_text(Page& page, const store::PartnerClosure& c) {
    if (c.from_day == c.to_day) return page.format_date(c.from_day);
    auto t = text::I18n::fill(page.t("partner_hours.closure_range"), "{from}",
                              page.format_date(c.from_day));
    return text::I18n::fill(t, "{to}", page.format_date(c.to_day));
}

void fill_site_hours(Page& page, const text::I18n& i18n, const app::SiteHours& h,
                     const std::string& action, bool can_write, const RefusedHoursForm& refused) {
    auto& d = page.data();
    const auto& lang = page.lang();
    d["ph_action"] = action;
    d["ph_can_write"] = can_write;
    // The compliance result.
    auto& c = h.compliance;
    d["ph_meets"] = c.meets();
    d["ph_convention"] = h.convention_live;
    auto regular = text::I18n::fill(page.t("partner_hours.regular_week"), "{hours}",
                                    app::format_duration(i18n, lang, c.regular.minutes));
    d["ph_regular"] = text::I18n::fill(regular, "{half_days}", std::to_string(c.regular.half_days));
    mstch::array lines;
    for (auto& l : app::shortfall_lines(i18n, lang, c)) lines.push_back(l);
    d["ph_lines"] = lines;
    mstch::array weeks;
    for (auto& w : c.short_weeks) {
        auto t = text::I18n::fill(page.t("partner_hours.week_figures"), "{hours}",
                                  app::format_duration(i18n, lang, w.check.minutes));
        t = text::I18n::fill(t, "{half_days}", std::to_string(w.check.half_days));
        t = text::I18n::fill(t, "{closed}", std::to_string(w.check.closed_days));
        weeks.push_back(mstch::map{{"week", page.format_date(w.monday)}, {"figures", t}});
    }
    d["ph_has_short"] = !weeks.empty();
    d["ph_short"] = weeks;
    // The weekly-hours form: stored values, or the refused form's.
    bool hours_refused = refused.form == "hours";
    auto values = hours_refused ? refused.fields : app::hours_fields(h.spans);
    auto value = [&](const std::string& k) {
        auto it = values.find(k);
        return it == values.end() ? std::string() : it->second;
    };
    mstch::array problems;
    mstch::array days;
    for (int wd = 0; wd < 7; ++wd) {
        auto day = page.t("partner_hours.weekday." + std::to_string(wd));
        mstch::array cells;
        for (int n = 0; n < app::kSpansPerDay; ++n) {
            auto line = app::hours_line(wd, n);
            auto label = [&](const std::string& which) {
                auto t = text::I18n::fill(page.t("partner_hours.input_label"), "{day}", day);
                t = text::I18n::fill(t, "{n}", std::to_string(n + 1));
                return text::I18n::fill(t, "{which}", page.t("partner_hours." + which));
            };
            std::string error;
            if (hours_refused)
                if (auto it = refused.errors.find(line); it != refused.errors.end()) {
                    error = page.t(it->second);
                    problems.push_back(mstch::map{{"href", "#ph-" + line + "-opens"},
                                                  {"label", label("opens")},
                                                  {"message", error}});
                }
            cells.push_back(mstch::map{{"id", "ph-" + line},
                                       {"name", line},
                                       {"opens", value(line + "_opens")},
                                       {"closes", value(line + "_closes")},
                                       {"label_opens", label("opens")},
                                       {"label_closes", label("closes")},
                                       {"has_error", !error.empty()},
                                       {"error", error}});
        }
        days.push_back(mstch::map{{"day", day}, {"cells", cells}});
    }
    d["ph_days"] = days;
    // The closures.
    mstch::array closures;
    for (auto& x : h.closures) {
        auto del = text::I18n::fill(page.t("partner_hours.delete_closure_of"), "{from}",
                                    page.format_date(x.from_day));
        closures.push_back(
            mstch::map{{"range", closure_text(page, x)},
                       {"reason", x.reason},
                       {"delete_label", text::I18n::fill(del, "{to}", page.format_date(x.to_day))},
                       {"delete", action + "/closures/" + std::to_string(x.id) + "/delete"}});
    }
    d["ph_closures"] = closures;
    d["ph_has_closures"] = !closures.empty();
    if (refused.form == "closure") {
        for (auto& [k, v] : refused.fields) d["phc_f_" + k] = v;
        for (auto& [field, key] : refused.errors) {
            auto msg = page.t(key);
            d["phc_error_" + field] = msg;
            problems.push_back(mstch::map{{"href", "#phc-" + field},
                                          {"label", page.t("partner_hours.field." + field)},
                                          {"message", msg}});
        }
    }
    if (!problems.empty()) {
        d["problems"] = problems;
        d["has_problems"] = true;
    }
}

}  // namespace vg::web
