// The overdue report's e-mail: see report_overdue.hpp.
#include "app/report_overdue.hpp"

#include "app/partners_admin.hpp"
#include "core/partner_visit.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

int ReportOverdue::queue_due() {
    int queued = queue_partner_mails(
        db_, clock_.now(),
        [&](store::Session& s, const LiveConvention& v) -> std::optional<PartnerMails> {
            auto& c = v.convention;
            auto org = v.org.id;
            auto partner = v.partner.id;
            if (label_state(s.label_events(org, partner), c) != "granted") return std::nullopt;
            auto kind = core::parse_code<core::PeriodKind>(c.reporting_period)
                            .value_or(core::PeriodKind::month);
            auto due = core::periods_due(kind, c.signed_on, v.today);
            if (due.empty()) return std::nullopt;
            auto period = due.back();  // the newest period whose deadline has passed
            auto label = period.label();
            if (s.partner_report(org, partner, label)) return std::nullopt;
            PartnerMails out;
            out.kind = "partner_overdue";
            out.key = "partner_overdue:" + std::to_string(partner) + ":" + label + ":";
            out.ids = {{"convention_id", c.id}, {"partner_id", partner}, {"period", label}};
            out.claim = [org, partner, label](store::Session& w) {
                // Submitted since the read: nothing is owed any more.
                if (w.partner_report(org, partner, label)) return false;
                return w.claim_report_overdue(partner, label);
            };
            // side: "partner" (its staff) or "caf" (the partner managers); an account on both
            // sides would get both e-mails, each keyed apart.
            auto mail = [&](const Recipient& r, const std::string& side, const std::string& link) {
                const auto& a = r.first;
                const auto& lang = r.second;
                auto date = [&](core::LocalDay d) {
                    return i18n_.format_date(lang, core::day_parts(d));
                };
                auto fill = [&](std::string text) {
                    text = text::I18n::fill(text, "{partner}", v.partner.name);
                    text = text::I18n::fill(text, "{organisation}", v.org.name);
                    text = text::I18n::fill(text, "{period}", label);
                    text = text::I18n::fill(text, "{first_day}", date(period.first_day()));
                    text = text::I18n::fill(text, "{last_day}", date(period.last_day()));
                    return text::I18n::fill(text, "{deadline}", date(period.deadline()));
                };
                out.mails.push_back({a.email, a.display_name, lang,
                                     fill(i18n_.t(lang, "partner.overdue_subject")),
                                     fill(i18n_.t(lang, "partner.overdue_intro")) + " " +
                                         i18n_.t(lang, "partner.overdue_link_" + side),
                                     i18n_.t(lang, "partner.overdue_after_" + side), link,
                                     side + ":account:" + std::to_string(a.id)});
            };
            for (auto& r : partner_staff_recipients(s, v.org, partner))
                mail(r, "partner", public_url_ + "/partner/reports/" + label);
            for (auto& r : partner_managers(s, v.org))
                mail(r, "caf", public_url_ + "/console/partners/" + std::to_string(partner));
            return out;
        });
    return report_queued(queued, "overdue report e-mails");
}

}  // namespace vg::app
